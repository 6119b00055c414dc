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
    /// <summary>Each existing product of <paramref name="productIds"/> with its mapped items; absent products are left out.</summary>
    public static async Task<IReadOnlyList<SyncTarget>> ReadTargetsAsync(HandlerContext context, IReadOnlyList<string> productIds,
        CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT p.id, p.stock, p.buffer_stock, m.channel_id, m.external_id,
                   ARRAY(SELECT s.id FROM sync_events s WHERE s.tenant_id = p.tenant_id AND s.product_id = p.id AND s.completed_at IS NULL)
            FROM products p
            LEFT JOIN product_channel_mappings m ON m.tenant_id = p.tenant_id AND m.product_id = p.id
            WHERE p.tenant_id = @tenant AND p.id = ANY(@products)
            ORDER BY p.id, m.channel_id
            """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("products", productIds.ToArray());
        var targets = new List<SyncTarget>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
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
        // The mapping rows first, in the order every writer takes them (product, channel, item; see
        // InventoryStore.LockItemsAsync), so recording never closes a cycle with a Watcher's run.
        yield return BatchCommand.Of("""
            SELECT 1 FROM product_channel_mappings WHERE tenant_id = $1 AND product_id = ANY($2)
            ORDER BY product_id, channel_id, external_id FOR UPDATE
            """, context.TenantId, records.Select(r => r.Target.ProductId).ToArray());
        foreach (var record in records)
        {
            if (record.OkChannels.Count > 0)
            {
                yield return BatchCommand.Of("""
                    UPDATE product_channel_mappings SET channel_stock = $4
                    WHERE tenant_id = $1 AND product_id = $2 AND channel_id = ANY($3)
                    """, context.TenantId, record.Target.ProductId, record.OkChannels.ToArray(), record.Target.ChannelQuantity);
            }
            if (record.Target.OpenSyncEvents.Count > 0)
            {
                var json = JsonSerializer.Serialize(record.Results.ToList(), AgentsJsonContext.Default.ListChannelSyncResult);
                yield return BatchCommand.Of("""
                    UPDATE sync_events SET quantity = $3, status = $4, results = $5::jsonb, completed_at = now()
                    WHERE tenant_id = $1 AND id = ANY($2)
                    """, context.TenantId, record.Target.OpenSyncEvents.ToArray(), record.Target.ChannelQuantity, record.Status, json);
            }
        }
    }
}
