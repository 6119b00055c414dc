using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
using Npgsql;

namespace Fairlane.Agents.Inventory;

/// <summary>A channel item mapped to a product, with the product's stock and settings, as read under their row locks.</summary>
public sealed record MappedItem(
    string ChannelId, string ExternalId, string ProductId, long? LastSequence, DateTimeOffset? LastChangedAt, int? ChannelStock,
    int Stock, int BufferStock, int? LowStockThreshold)
{
    /// <summary>What the channel should show: internal stock minus the buffer held back, never negative.</summary>
    public int ExpectedChannelStock => Math.Max(0, Stock - BufferStock);
}

/// <summary>What a run of channel reports leaves behind: an item's newest report, a product's newest stock, a sync record.</summary>
public sealed record ItemReport(string ChannelId, string ExternalId, string ProductId, int ChannelStock, long? LastSequence, DateTimeOffset ChangedAt);

/// <summary>A sync_events row to write under the id reserved for it: which report changed which product to what.</summary>
public sealed record SyncEventRow(long Id, string ProductId, string SourceEventId, string OriginChannelId, int Quantity);

/// <summary>Products, their channel mappings and sync records, always within the tenant's transaction.</summary>
public static class InventoryStore
{
    /// <summary>
    /// Reads several channel items and their products and locks them until the transaction ends, in one
    /// global order (product, then channel, then item), as every other writer of these rows takes them
    /// (Sync records its pushes in product order): two transactions locking some of the same rows never
    /// wait on each other in a cycle. Unmapped items are absent from the result. Then, once the locks
    /// are held, reserves <paramref name="syncEventIds"/> sync_events ids, in ascending order: ids taken
    /// in the order reports apply follow the order in which an item's reports applied.
    /// </summary>
    public static async Task<(IReadOnlyList<MappedItem> Items, IReadOnlyList<long> SyncEventIds)> LockItemsAsync(HandlerContext context,
        IReadOnlyList<(string ChannelId, string ExternalId)> items, int syncEventIds, CancellationToken cancellationToken)
    {
        // Planned for each run (custom plans), not in a GenericPlans stretch: the mapping has two unique
        // keys that share the tenant and channel, and a plan made while the tables were nearly empty
        // could scan the one that does not hold the item (GenericPlanTests shows it).
        await using var batch = new NpgsqlBatch(context.Connection, context.Transaction)
        {
            BatchCommands =
            {
                BatchCommand.Of("""
                    SELECT m.channel_id, m.external_id, m.product_id, m.last_sequence, m.last_changed_at, m.channel_stock,
                           p.stock, p.buffer_stock, p.low_stock_threshold
                    FROM product_channel_mappings m
                    JOIN products p ON p.tenant_id = m.tenant_id AND p.id = m.product_id
                    WHERE m.tenant_id = $1 AND (m.channel_id, m.external_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))
                    ORDER BY p.id, m.channel_id, m.external_id
                    FOR UPDATE OF m, p
                    """, context.TenantId, items.Select(i => i.ChannelId).ToArray(), items.Select(i => i.ExternalId).ToArray()),
                BatchCommand.Of("SELECT nextval(pg_get_serial_sequence('sync_events', 'id')) FROM generate_series(1, $1)", syncEventIds),
            },
        };
        var mapped = new List<MappedItem>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            mapped.Add(new MappedItem(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.GetInt32(6), reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetInt32(8)));
        }
        await reader.NextResultAsync(cancellationToken);
        var ids = new List<long>(syncEventIds);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt64(0));
        ids.Sort();
        return (mapped, ids);
    }

    /// <summary>
    /// The writes of a run of channel reports, set-based whatever the run's length: each changed
    /// product's newest stock, each reported item's newest report (its level and sequence or time), and
    /// the sync_events rows under their reserved ids. The rows were locked by <see cref="LockItemsAsync"/>, so each
    /// is reached by its address after a probe by its whole key: fit for <see cref="GenericPlans"/>.
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> ApplyReportsCommands(HandlerContext context, IReadOnlyList<(string ProductId, int Stock)> products,
        IReadOnlyList<ItemReport> items, IReadOnlyList<SyncEventRow> syncEvents)
    {
        yield return BatchCommand.Of("""
            UPDATE products p SET stock = u.stock, updated_at = now()
            FROM unnest($2::text[], $3::int[]) AS u(id, stock),
                 LATERAL (SELECT x.ctid AS row FROM products x WHERE x.tenant_id = $1 AND x.id = u.id OFFSET 0) r
            WHERE p.ctid = r.row
            """, context.TenantId, products.Select(p => p.ProductId).ToArray(), products.Select(p => p.Stock).ToArray());
        yield return BatchCommand.Of("""
            UPDATE product_channel_mappings m SET channel_stock = u.channel_stock, last_sequence = u.last_sequence, last_changed_at = u.changed_at
            FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::timestamptz[])
                     AS u(channel_id, external_id, product_id, channel_stock, last_sequence, changed_at),
                 LATERAL (SELECT x.ctid AS row FROM product_channel_mappings x
                          WHERE x.tenant_id = $1 AND x.channel_id = u.channel_id AND x.external_id = u.external_id AND x.product_id = u.product_id
                          OFFSET 0) r
            WHERE m.ctid = r.row
            """, context.TenantId, items.Select(i => i.ChannelId).ToArray(), items.Select(i => i.ExternalId).ToArray(), items.Select(i => i.ProductId).ToArray(),
            items.Select(i => i.ChannelStock).ToArray(), items.Select(i => i.LastSequence).ToArray(), items.Select(i => i.ChangedAt).ToArray());
        yield return BatchCommand.Of("""
            INSERT INTO sync_events (id, tenant_id, product_id, source_event_id, origin_channel_id, quantity) OVERRIDING SYSTEM VALUE
            SELECT u.id, $1, u.product_id, u.source_event_id, u.origin_channel_id, u.quantity
            FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[]) AS u(id, product_id, source_event_id, origin_channel_id, quantity)
            """, context.TenantId, syncEvents.Select(e => e.Id).ToArray(), syncEvents.Select(e => e.ProductId).ToArray(),
            syncEvents.Select(e => e.SourceEventId).ToArray(), syncEvents.Select(e => e.OriginChannelId).ToArray(),
            syncEvents.Select(e => e.Quantity).ToArray());
    }

    /// <summary>Records that a stock change needs syncing; returns the sync event's id.</summary>
    public static async Task<long> AddSyncEventAsync(HandlerContext context, string productId, string sourceEventId, string? originChannelId,
        int quantity, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO sync_events (tenant_id, product_id, source_event_id, origin_channel_id, quantity)
            VALUES (@tenant, @product, @source, @origin, @quantity) RETURNING id
            """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("product", productId);
        cmd.Parameters.AddWithValue("source", sourceEventId);
        cmd.Parameters.AddWithValue("origin", (object?)originChannelId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("quantity", quantity);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Records the stock each channel showed for its items when it was last read (a reconcile's readings).</summary>
    public static async Task RecordChannelStockAsync(HandlerContext context, IReadOnlyList<(string ChannelId, string ExternalId, int Observed)> readings,
        CancellationToken cancellationToken)
    {
        if (readings.Count == 0) return;
        await using var cmd = new NpgsqlCommand("""
            UPDATE product_channel_mappings m SET channel_stock = r.observed
            FROM unnest(@channels, @externals, @observed) AS r(channel_id, external_id, observed)
            WHERE m.tenant_id = @tenant AND m.channel_id = r.channel_id AND m.external_id = r.external_id
            """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("channels", readings.Select(r => r.ChannelId).ToArray());
        cmd.Parameters.AddWithValue("externals", readings.Select(r => r.ExternalId).ToArray());
        cmd.Parameters.AddWithValue("observed", readings.Select(r => r.Observed).ToArray());
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
