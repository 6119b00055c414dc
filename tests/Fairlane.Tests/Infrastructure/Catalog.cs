using Npgsql;

namespace Fairlane.Tests.Infrastructure;

/// <summary>Seeds a tenant's channels, products and mappings (as the owner) for agent tests.</summary>
internal static class Catalog
{
    /// <summary>A channel without credentials; by default at a loopback port where nothing listens (calls fail at once).</summary>
    public sealed record Channel(string Id, string Type, string BaseUrl = "http://127.0.0.1:9/");

    public sealed record Product(string Id, int Stock, int BufferStock = 0, int? LowStockThreshold = null);

    public sealed record Mapping(string ProductId, string ChannelId, string ExternalId);

    public static async Task SeedAsync(TestDatabase db, string tenant, IEnumerable<Channel> channels, IEnumerable<Product> products,
        IEnumerable<Mapping> mappings)
    {
        await using var connection = await db.Owner.OpenConnectionAsync();
        foreach (var c in channels)
            await ExecuteAsync(connection, "INSERT INTO channels (tenant_id, id, type, base_url) VALUES ($1, $2, $3, $4)", tenant, c.Id, c.Type, c.BaseUrl);
        foreach (var p in products)
        {
            await ExecuteAsync(connection, "INSERT INTO products (tenant_id, id, stock, buffer_stock, low_stock_threshold) VALUES ($1, $2, $3, $4, $5)",
                tenant, p.Id, p.Stock, p.BufferStock, (object?)p.LowStockThreshold ?? DBNull.Value);
        }
        foreach (var m in mappings)
        {
            await ExecuteAsync(connection, "INSERT INTO product_channel_mappings (tenant_id, product_id, channel_id, external_id) VALUES ($1, $2, $3, $4)",
                tenant, m.ProductId, m.ChannelId, m.ExternalId);
        }
    }

    public static Task<int> StockAsync(TestDatabase db, string tenant, string productId) =>
        db.ScalarAsync<int>($"SELECT stock FROM products WHERE tenant_id = '{tenant}' AND id = '{productId}'");

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var v in values) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        await cmd.ExecuteNonQueryAsync();
    }
}
