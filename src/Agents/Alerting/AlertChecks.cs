using Fairlane.Agents.Channels;
using Fairlane.Agents.Handling;
using Npgsql;

namespace Fairlane.Agents.Alerting;

/// <summary>How the channel-status check learns of open circuit breakers (kept in each node's memory).</summary>
public interface IChannelHealth
{
    /// <summary>Whether calls to the tenant's channel are currently cut off by its circuit breaker.</summary>
    bool IsCircuitOpen(string tenantId, string channelId);
}

/// <summary>Settings of the alert checks.</summary>
public sealed record AlertCheckOptions
{
    /// <summary>Failed channel pushes within <see cref="SyncHealthWindow"/> that make a channel unhealthy.</summary>
    public int SyncFailureThreshold { get; init; } = 5;

    public TimeSpan SyncHealthWindow { get; init; } = TimeSpan.FromMinutes(15);
}

/// <summary>The conditions behind each kind of alert, read set-based within the tenant's transaction.</summary>
public sealed class AlertChecks(IChannelHealth health, AlertCheckOptions options)
{
    /// <summary>Products with a threshold: low when stock is at or below it (critical when none is left).</summary>
    public static async Task<List<Finding>> LowStockAsync(HandlerContext context, string? productId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT id, stock, low_stock_threshold FROM products
            WHERE tenant_id = @tenant AND low_stock_threshold IS NOT NULL AND (@product::text IS NULL OR id = @product)
            """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("product", (object?)productId ?? DBNull.Value);
        var findings = new List<Finding>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, stock, threshold) = (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2));
            findings.Add(new Finding(AlertKinds.LowStock, id, stock <= threshold, stock <= 0 ? "critical" : "warning",
                $"product '{id}' has {stock} in stock (threshold {threshold})"));
        }
        return findings;
    }

    /// <summary>
    /// Channels with at least the threshold of failed pushes recorded within the window. A push skipped because the
    /// channel is disabled, auth_failed or misconfigured is no failure: nothing was tried, and its channel_status alert speaks for it.
    /// </summary>
    public async Task<List<Finding>> SyncHealthAsync(HandlerContext context, string? channelId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT c.id, count(r.*) FILTER (WHERE r.value->>'outcome' NOT IN ('ok', 'skipped'))
            FROM channels c
            LEFT JOIN sync_events s ON s.tenant_id = c.tenant_id AND s.created_at > now() - @window AND s.results IS NOT NULL
            LEFT JOIN LATERAL jsonb_array_elements(s.results) r ON r.value->>'channelId' = c.id
            WHERE c.tenant_id = @tenant AND (@channel::text IS NULL OR c.id = @channel)
            GROUP BY c.id
            """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("channel", (object?)channelId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("window", options.SyncHealthWindow);
        var findings = new List<Finding>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, failures) = (reader.GetString(0), reader.GetInt64(1));
            findings.Add(new Finding(AlertKinds.SyncHealth, id, failures >= options.SyncFailureThreshold, "warning",
                $"{failures} pushes to channel '{id}' failed in the last {options.SyncHealthWindow.TotalMinutes:0} minutes"));
        }
        return findings;
    }

    /// <summary>Channels whose credentials are refused, whose configuration cannot be called, or whose circuit breaker is open on this node.</summary>
    public async Task<List<Finding>> ChannelStatusAsync(HandlerContext context, string? channelId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT id, status FROM channels WHERE tenant_id = @tenant AND (@channel::text IS NULL OR id = @channel)",
            context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("channel", (object?)channelId ?? DBNull.Value);
        var findings = new List<Finding>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, status) = (reader.GetString(0), ChannelStatusNames.Parse(reader.GetString(1)));
            var circuitOpen = health.IsCircuitOpen(context.TenantId, id);
            findings.Add(status switch
            {
                ChannelStatus.AuthFailed => new Finding(AlertKinds.ChannelStatus, id, true, "critical", $"channel '{id}' refuses its credentials"),
                ChannelStatus.Misconfigured => new Finding(AlertKinds.ChannelStatus, id, true, "critical",
                    $"channel '{id}' is misconfigured (its base URL is not an absolute http(s) URL, or its credentials do not decrypt with " +
                    "Channels:CredentialKey) and is skipped until it is fixed; the log and the sync results say which"),
                _ => new Finding(AlertKinds.ChannelStatus, id, circuitOpen, "warning", $"calls to channel '{id}' are cut off by its circuit breaker"),
            });
        }
        return findings;
    }
}
