using Fairlane.Agents.Handling;
using Npgsql;

namespace Fairlane.Agents.Guardian;

/// <summary>One mapped channel item with its product's internal stock.</summary>
public sealed record ReconcileItem(string ChannelId, string ExternalId, string ProductId, int Stock, int BufferStock)
{
    public int Expected => Math.Max(0, Stock - BufferStock);
}

/// <summary>Set-based reads and writes of a tenant's reconciliation, in its fenced transaction.</summary>
public static class ReconcileStore
{
    public static async Task<List<ReconcileItem>> ReadItemsAsync(HandlerContext context, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT m.channel_id, m.external_id, m.product_id, p.stock, p.buffer_stock
            FROM product_channel_mappings m
            JOIN products p ON p.tenant_id = m.tenant_id AND p.id = m.product_id
            WHERE m.tenant_id = @tenant
            ORDER BY m.channel_id, m.external_id
            """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        var items = new List<ReconcileItem>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            items.Add(new ReconcileItem(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4)));
        return items;
    }

    /// <summary>Adds this tenant's counts to its run; false when the run is not of this epoch (nothing written).</summary>
    public static async Task<bool> AddToRunAsync(HandlerContext context, Guid runId, long epoch, int checks, int repairs, int alerts,
        CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE guardian_runs SET tenants_done = tenants_done + 1, checks = checks + @checks, repairs = repairs + @repairs, alerts = alerts + @alerts
            WHERE id = @run AND epoch = @epoch
            """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("run", runId);
        cmd.Parameters.AddWithValue("epoch", epoch);
        cmd.Parameters.AddWithValue("checks", checks);
        cmd.Parameters.AddWithValue("repairs", repairs);
        cmd.Parameters.AddWithValue("alerts", alerts);
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Counts this tenant as failed on its run; false when the run is not of this epoch (nothing written).</summary>
    public static async Task<bool> AddFailureToRunAsync(HandlerContext context, Guid runId, long epoch, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            "UPDATE guardian_runs SET tenants_failed = tenants_failed + 1 WHERE id = @run AND epoch = @epoch", context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("run", runId);
        cmd.Parameters.AddWithValue("epoch", epoch);
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
