using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
using Npgsql;

namespace Fairlane.Agents.Inventory;

/// <summary>
/// A channel item mapped to a product, with the product's stock, read under a row lock; and the id
/// reserved for the sync_events row the report will write if it applies (taken after the lock, so ids
/// follow the order in which reports of one item apply).
/// </summary>
public sealed record MappedItem(
    string ProductId, long? LastSequence, DateTimeOffset? LastChangedAt, int? ChannelStock, int Stock, int BufferStock, int? LowStockThreshold,
    long SyncEventId)
{
    /// <summary>What the channel should show: internal stock minus the buffer held back, never negative.</summary>
    public int ExpectedChannelStock => Math.Max(0, Stock - BufferStock);
}

/// <summary>Products, their channel mappings and sync records, always within the tenant's transaction.</summary>
public static class InventoryStore
{
    /// <summary>
    /// Locks several channel items and their products until the transaction ends, in one global order
    /// (product, then channel, then item), as every other writer of these rows takes them (Sync records
    /// its pushes in product order): two transactions locking some of the same rows never wait on each
    /// other in a cycle. Unmapped items lock nothing.
    /// </summary>
    public static async Task LockItemsAsync(HandlerContext context, IReadOnlyList<(string ChannelId, string ExternalId)> items,
        CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT 1 FROM product_channel_mappings m
            JOIN products p ON p.tenant_id = m.tenant_id AND p.id = m.product_id
            WHERE m.tenant_id = $1 AND (m.channel_id, m.external_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))
            ORDER BY p.id, m.channel_id, m.external_id
            FOR UPDATE OF m, p
            """, context.Connection, context.Transaction);
        cmd.Parameters.Add(new NpgsqlParameter { Value = context.TenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => i.ChannelId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => i.ExternalId).ToArray() });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The product mapped to a channel's item, locked until the transaction ends; null if unmapped.</summary>
    public static async Task<MappedItem?> FindMappedForUpdateAsync(HandlerContext context, string channelId, string externalId,
        CancellationToken cancellationToken)
    {
        // One round trip: the locking read, then (only once the lock is held) the id reservation.
        await using var batch = new NpgsqlBatch(context.Connection, context.Transaction)
        {
            BatchCommands =
            {
                BatchCommand.Of("""
                    SELECT m.product_id, m.last_sequence, m.last_changed_at, m.channel_stock, p.stock, p.buffer_stock, p.low_stock_threshold
                    FROM product_channel_mappings m
                    JOIN products p ON p.tenant_id = m.tenant_id AND p.id = m.product_id
                    WHERE m.tenant_id = $1 AND m.channel_id = $2 AND m.external_id = $3
                    FOR UPDATE OF m, p
                    """, context.TenantId, channelId, externalId),
                new NpgsqlBatchCommand("SELECT nextval(pg_get_serial_sequence('sync_events', 'id'))"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var (productId, lastSequence, lastChangedAt, channelStock, stock, buffer, threshold) = (reader.GetString(0),
            reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1),
            reader.IsDBNull(2) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(2),
            reader.IsDBNull(3) ? (int?)null : reader.GetInt32(3),
            reader.GetInt32(4), reader.GetInt32(5),
            reader.IsDBNull(6) ? (int?)null : reader.GetInt32(6));
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new MappedItem(productId, lastSequence, lastChangedAt, channelStock, stock, buffer, threshold, reader.GetInt64(0));
    }

    /// <summary>
    /// In one round trip: sets the product's stock and what the channel last reported (with its sequence
    /// or time), writes the sync_events row under the id <paramref name="item"/> reserved, and runs the
    /// report's <paramref name="followUps"/> (its outbox rows).
    /// </summary>
    public static async Task ApplyChannelReportAsync(HandlerContext context, MappedItem item, int stock, string channelId, string externalId,
        int channelStock, long? sequence, DateTimeOffset changedAt, string sourceEventId, IReadOnlyList<NpgsqlBatchCommand> followUps,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(context.Connection, context.Transaction)
        {
            BatchCommands =
            {
                BatchCommand.Of("UPDATE products SET stock = $2, updated_at = now() WHERE tenant_id = $1 AND id = $3",
                    context.TenantId, stock, item.ProductId),
                BatchCommand.Of("""
                    UPDATE product_channel_mappings
                    SET channel_stock = $2, last_sequence = coalesce($3, last_sequence), last_changed_at = $4
                    WHERE tenant_id = $1 AND channel_id = $5 AND external_id = $6
                    """, context.TenantId, channelStock, (object?)sequence ?? DBNull.Value, changedAt, channelId, externalId),
                BatchCommand.Of("""
                    INSERT INTO sync_events (id, tenant_id, product_id, source_event_id, origin_channel_id, quantity)
                    OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6)
                    """, item.SyncEventId, context.TenantId, item.ProductId, sourceEventId, channelId, stock),
            },
        };
        foreach (var followUp in followUps) batch.BatchCommands.Add(followUp);
        await batch.ExecuteNonQueryAsync(cancellationToken);
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
