using System.Text.Json;
using Fairlane.Agents.Bus;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
using Npgsql;

namespace Fairlane.Agents.Inventory;

/// <summary>
/// A product's stock, its items on the channels a sync pushes to, and the sync_events rows still open
/// for it (read in the same statement, so every one of them is covered by the level read).
/// </summary>
public sealed record SyncTarget(string ProductId, int Stock, int BufferStock, IReadOnlyList<(string ChannelId, string ExternalId)> Items,
    IReadOnlyList<long> OpenSyncEvents)
{
    /// <summary>What every channel should show: internal stock minus the buffer held back, never negative.</summary>
    public int ChannelQuantity => Math.Max(0, Stock - BufferStock);
}

/// <summary>What one product's push came to: the level pushed, the channels that took it, and each channel's result.</summary>
public sealed record SyncRecord(SyncTarget Target, string Status, IReadOnlyList<string> OkChannels, IReadOnlyList<ChannelSyncResult> Results);

/// <summary>What Sync reads and records, within tenant-bound transactions.</summary>
public static class SyncStore
{
    /// <summary>
    /// The statement reading each existing product of <paramref name="productIds"/> with its mapped items
    /// (absent products are left out), for a batch that reads it with <see cref="ReadTargetsAsync(NpgsqlDataReader, CancellationToken)"/>.
    /// </summary>
    public static NpgsqlBatchCommand ReadTargetsCommand(string tenantId, IReadOnlyList<string> productIds) =>
        BatchCommand.Of("""
            SELECT p.id, p.stock, p.buffer_stock, m.channel_id, m.external_id,
                   ARRAY(SELECT s.id FROM sync_events s WHERE s.tenant_id = $1 AND s.product_id = p.id AND s.completed_at IS NULL)
            FROM unnest($2::text[]) AS u(id)
            CROSS JOIN LATERAL (SELECT x.id, x.stock, x.buffer_stock FROM products x WHERE x.tenant_id = $1 AND x.id = u.id OFFSET 0) p
            LEFT JOIN LATERAL (SELECT y.channel_id, y.external_id FROM product_channel_mappings y
                               WHERE y.tenant_id = $1 AND y.product_id = p.id OFFSET 0) m ON true
            ORDER BY p.id, m.channel_id
            """, tenantId, productIds.Distinct(StringComparer.Ordinal).ToArray());

    /// <summary>The targets in the reader's current result set, that of <see cref="ReadTargetsCommand"/>.</summary>
    public static async Task<IReadOnlyList<SyncTarget>> ReadTargetsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var targets = new List<SyncTarget>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            if (targets.Count == 0 || targets[^1].ProductId != id)
                targets.Add(new SyncTarget(id, reader.GetInt32(1), reader.GetInt32(2), new List<(string, string)>(), reader.GetFieldValue<long[]>(5)));
            if (!reader.IsDBNull(3)) ((List<(string, string)>)targets[^1].Items).Add((reader.GetString(3), reader.GetString(4)));
        }
        return targets;
    }

    /// <summary>
    /// The statements recording pushes: what the channels that took a level now show, and the product's
    /// open sync_events rows completed with the level pushed and each channel's result.
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> RecordCommands(HandlerContext context, IReadOnlyList<SyncRecord> records)
    {
        if (records.Count == 0) yield break;
        // The mapping rows of the channels that took a level: locked first, in the order every writer
        // takes them (product, channel, item; see InventoryStore.LockItemsAsync), so recording never closes
        // a cycle with a Watcher's run; and only those, so a report from a channel not pushed to (the
        // change's origin) never waits for a pass to commit. Then set-based, whatever the number of
        // products: each channel that took its level, and each open sync event completed with its
        // product's level, status and results.
        var taken = records.SelectMany(r => r.OkChannels.Distinct(StringComparer.Ordinal)
                .SelectMany(channel => r.Target.Items.Where(i => i.ChannelId == channel))
                .Select(item => (r.Target.ProductId, item.ChannelId, item.ExternalId, r.Target.ChannelQuantity)))
            .ToList();
        if (taken.Count > 0)
        {
            // Each item by its whole key (both unique keys of the table); the keys sorted by the server,
            // in its collation, so the locks are taken in the order every other writer takes them.
            yield return BatchCommand.Of("""
                SELECT 1
                FROM (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]) AS k(product_id, channel_id, external_id) ORDER BY 1, 2, 3) k,
                     LATERAL (SELECT 1 FROM product_channel_mappings x
                              WHERE x.tenant_id = $1 AND x.product_id = k.product_id AND x.channel_id = k.channel_id AND x.external_id = k.external_id
                              FOR UPDATE) l
                """, context.TenantId, taken.Select(t => t.ProductId).ToArray(), taken.Select(t => t.ChannelId).ToArray(),
                taken.Select(t => t.ExternalId).ToArray());
            yield return BatchCommand.Of("""
                UPDATE product_channel_mappings m SET channel_stock = u.quantity
                FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS u(product_id, channel_id, external_id, quantity),
                     LATERAL (SELECT x.ctid AS row FROM product_channel_mappings x
                              WHERE x.tenant_id = $1 AND x.product_id = u.product_id AND x.channel_id = u.channel_id AND x.external_id = u.external_id
                              OFFSET 0) r
                WHERE m.ctid = r.row
                """, context.TenantId, taken.Select(t => t.ProductId).ToArray(), taken.Select(t => t.ChannelId).ToArray(),
                taken.Select(t => t.ExternalId).ToArray(), taken.Select(t => t.ChannelQuantity).ToArray());
        }
        var completed = records.Where(r => r.Target.OpenSyncEvents.Count > 0)
            .Select(r => (Record: r, Results: JsonSerializer.Serialize(r.Results.ToList(), AgentsJsonContext.Default.ListChannelSyncResult)))
            .SelectMany(r => r.Record.Target.OpenSyncEvents.Select(id => (Id: id, r.Record.Target.ProductId, r.Record.Target.ChannelQuantity, r.Record.Status, r.Results)))
            .ToList();
        if (completed.Count > 0)
        {
            yield return BatchCommand.Of("""
                UPDATE sync_events s SET quantity = u.quantity, status = u.status, results = u.results::jsonb, completed_at = now()
                FROM unnest($2::bigint[], $3::text[], $4::int[], $5::text[], $6::text[]) AS u(id, product_id, quantity, status, results),
                     LATERAL (SELECT x.ctid AS row FROM sync_events x
                              WHERE x.tenant_id = $1 AND x.product_id = u.product_id AND x.completed_at IS NULL AND x.id = u.id OFFSET 0) r
                WHERE s.ctid = r.row
                """, context.TenantId, completed.Select(c => c.Id).ToArray(), completed.Select(c => c.ProductId).ToArray(), completed.Select(c => c.ChannelQuantity).ToArray(),
                completed.Select(c => c.Status).ToArray(), completed.Select(c => c.Results).ToArray());
        }
    }
}
