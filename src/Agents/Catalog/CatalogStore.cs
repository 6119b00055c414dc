using Npgsql;

namespace Fairlane.Agents.Catalog;

/// <summary>
/// The catalogue's products and item mappings. Every method works inside a transaction already bound to the
/// tenant (row-level security) and filters by tenant as well, so the query and the policy agree. Stock movements
/// stay with <c>Agents/Inventory</c>; this is where products and mappings are defined, replaced and removed.
/// </summary>
internal static class CatalogStore
{
    private const string ProductColumns = "SELECT id, sku, name, stock, buffer_stock, low_stock_threshold, updated_at FROM products";

    /// <summary>Creates or replaces the product; a null stock keeps the stored one (0 for a new product).</summary>
    public static async Task<CatalogProduct> UpsertProductAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, ProductDefinition p,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO products (tenant_id, id, sku, name, stock, buffer_stock, low_stock_threshold)
            VALUES (@tenant, @id, @sku, @name, coalesce(@stock, 0), @buffer, @threshold)
            ON CONFLICT (tenant_id, id) DO UPDATE SET
                sku = excluded.sku, name = excluded.name, stock = coalesce(@stock, products.stock),
                buffer_stock = excluded.buffer_stock, low_stock_threshold = excluded.low_stock_threshold, updated_at = now()
            RETURNING id, sku, name, stock, buffer_stock, low_stock_threshold, updated_at
            """, c, tx);
        cmd.Parameters.AddWithValue("tenant", tenant);
        cmd.Parameters.AddWithValue("id", p.Id);
        cmd.Parameters.AddWithValue("sku", p.Sku);
        cmd.Parameters.AddWithValue("name", p.Name);
        cmd.Parameters.Add(new NpgsqlParameter<int?>("stock", p.Stock) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        cmd.Parameters.AddWithValue("buffer", p.BufferStock);
        cmd.Parameters.Add(new NpgsqlParameter<int?>("threshold", p.LowStockThreshold) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return ReadProduct(reader);
    }

    public static async Task<CatalogProduct?> FindProductAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, string id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(ProductColumns + " WHERE tenant_id = @tenant AND id = @id", c, tx);
        cmd.Parameters.AddWithValue("tenant", tenant);
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadProduct(reader) : null;
    }

    public static async Task<List<CatalogProduct>> ProductsAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(ProductColumns + " WHERE tenant_id = @tenant ORDER BY id", c, tx);
        cmd.Parameters.AddWithValue("tenant", tenant);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var products = new List<CatalogProduct>();
        while (await reader.ReadAsync(ct)) products.Add(ReadProduct(reader));
        return products;
    }

    /// <summary>Deletes the product and its mappings (their foreign key would refuse it otherwise); false when there was none.</summary>
    public static async Task<bool> DeleteProductAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, string id, CancellationToken ct)
    {
        await ExecuteAsync(c, tx, "DELETE FROM product_channel_mappings WHERE tenant_id = $1 AND product_id = $2", ct, tenant, id);
        return await ExecuteAsync(c, tx, "DELETE FROM products WHERE tenant_id = $1 AND id = $2", ct, tenant, id) == 1;
    }

    /// <summary>
    /// Maps the item to the product. Moving an item to another product forgets what the channel last reported for
    /// it (sequence, time, stock): those belonged to the old product.
    /// </summary>
    public static async Task UpsertMappingAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, CatalogMapping m, CancellationToken ct)
    {
        await ExecuteAsync(c, tx, """
            INSERT INTO product_channel_mappings AS m (tenant_id, channel_id, external_id, product_id) VALUES ($1, $2, $3, $4)
            ON CONFLICT (tenant_id, channel_id, external_id) DO UPDATE SET product_id = excluded.product_id,
                last_sequence = CASE WHEN m.product_id = excluded.product_id THEN m.last_sequence END,
                last_changed_at = CASE WHEN m.product_id = excluded.product_id THEN m.last_changed_at END,
                channel_stock = CASE WHEN m.product_id = excluded.product_id THEN m.channel_stock END
            """, ct, tenant, m.ChannelId, m.ExternalId, m.ProductId);
    }

    /// <summary>The item the product already has on the channel, if it is another one than <paramref name="externalId"/>.</summary>
    public static async Task<string?> OtherItemOfAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, string productId, string channelId,
        string externalId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT external_id FROM product_channel_mappings
            WHERE tenant_id = $1 AND product_id = $2 AND channel_id = $3 AND external_id <> $4
            """, c, tx);
        foreach (var v in new[] { tenant, productId, channelId, externalId }) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        return (string?)await cmd.ExecuteScalarAsync(ct);
    }

    public static async Task<bool> DeleteMappingAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, string channelId, string externalId,
        CancellationToken ct) =>
        await ExecuteAsync(c, tx, "DELETE FROM product_channel_mappings WHERE tenant_id = $1 AND channel_id = $2 AND external_id = $3",
            ct, tenant, channelId, externalId) == 1;

    /// <summary>Deletes every mapping on the channel (before the channel itself goes).</summary>
    public static Task<int> DeleteMappingsOfChannelAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, string channelId, CancellationToken ct) =>
        ExecuteAsync(c, tx, "DELETE FROM product_channel_mappings WHERE tenant_id = $1 AND channel_id = $2", ct, tenant, channelId);

    public static async Task<List<CatalogMapping>> MappingsAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT channel_id, external_id, product_id FROM product_channel_mappings WHERE tenant_id = $1 ORDER BY channel_id, external_id
            """, c, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenant });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var mappings = new List<CatalogMapping>();
        while (await reader.ReadAsync(ct)) mappings.Add(new CatalogMapping(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return mappings;
    }

    private static CatalogProduct ReadProduct(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4),
        r.IsDBNull(5) ? null : r.GetInt32(5), r.GetFieldValue<DateTimeOffset>(6));

    private static async Task<int> ExecuteAsync(NpgsqlConnection c, NpgsqlTransaction tx, string sql, CancellationToken ct, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        foreach (var v in values) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
