using System.Text.Json;
using Fairlane.Agents.Bus;
using Fairlane.Agents.Handling;
using Npgsql;
using NpgsqlTypes;

namespace Fairlane.Agents.Inventory;

/// <summary>A product's stock and its items on the channels a sync pushes to.</summary>
public sealed record SyncTarget(string ProductId, int Stock, int BufferStock, IReadOnlyList<(string ChannelId, string ExternalId)> Items)
{
    /// <summary>What every channel should show: internal stock minus the buffer held back, never negative.</summary>
    public int ChannelQuantity => Math.Max(0, Stock - BufferStock);
}

/// <summary>What Sync reads and records, within the tenant's transaction.</summary>
public static class SyncStore
{
    /// <summary>The product and its mapped items on every channel but <paramref name="exceptChannelId"/>; null if no such product.</summary>
    public static async Task<SyncTarget?> ReadTargetAsync(HandlerContext context, string productId, string? exceptChannelId,
        CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT p.stock, p.buffer_stock, m.channel_id, m.external_id
            FROM products p
            LEFT JOIN product_channel_mappings m ON m.tenant_id = p.tenant_id AND m.product_id = p.id
                AND m.channel_id IS DISTINCT FROM @except
            WHERE p.tenant_id = @tenant AND p.id = @product
            ORDER BY m.channel_id
            """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("product", productId);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("except", exceptChannelId) { NpgsqlDbType = NpgsqlDbType.Text });
        int? stock = null, buffer = null;
        var items = new List<(string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stock = reader.GetInt32(0);
            buffer = reader.GetInt32(1);
            if (!reader.IsDBNull(2)) items.Add((reader.GetString(2), reader.GetString(3)));
        }
        return stock is null ? null : new SyncTarget(productId, stock.Value, buffer!.Value, items);
    }

    /// <summary>Records what the channels now show after successful pushes.</summary>
    public static async Task SetChannelStockAsync(HandlerContext context, string productId, IReadOnlyList<string> channelIds, int quantity,
        CancellationToken cancellationToken)
    {
        if (channelIds.Count == 0) return;
        await using var cmd = new NpgsqlCommand("""
            UPDATE product_channel_mappings SET channel_stock = @quantity
            WHERE tenant_id = @tenant AND product_id = @product AND channel_id = ANY(@channels)
            """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("product", productId);
        cmd.Parameters.AddWithValue("channels", channelIds.ToArray());
        cmd.Parameters.AddWithValue("quantity", quantity);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Completes the requester's sync_events row, or records a new one; returns its id.</summary>
    public static async Task<long> RecordResultAsync(HandlerContext context, long? syncEventId, string productId, string sourceEventId,
        string? originChannelId, int quantity, string status, IReadOnlyList<ChannelSyncResult> results, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(results.ToList(), AgentsJsonContext.Default.ListChannelSyncResult);
        await using var cmd = new NpgsqlCommand(syncEventId is null
            ? """
              INSERT INTO sync_events (tenant_id, product_id, source_event_id, origin_channel_id, quantity, status, results, completed_at)
              VALUES (@tenant, @product, @source, @origin, @quantity, @status, @results::jsonb, now()) RETURNING id
              """
            : """
              UPDATE sync_events SET quantity = @quantity, status = @status, results = @results::jsonb, completed_at = now()
              WHERE tenant_id = @tenant AND id = @id RETURNING id
              """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("id", syncEventId ?? 0);
        cmd.Parameters.AddWithValue("product", productId);
        cmd.Parameters.AddWithValue("source", sourceEventId);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("origin", originChannelId) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("quantity", quantity);
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.AddWithValue("results", json);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken) ?? throw new InvalidOperationException($"sync event {syncEventId} does not exist"));
    }
}
