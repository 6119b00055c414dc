using System.Text.Json;
using Fairlane.Agents.Bus;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
using Npgsql;

namespace Fairlane.Agents.Alerting;

/// <summary>
/// Opens and resolves alerts in the handler's transaction. An alert is open at most once per
/// (tenant, kind, subject) (a unique index on open alerts): raising it again while open is a no-op,
/// and only a new alert is published on the event bus, after the transaction commits.
/// </summary>
public sealed class AlertStore(IEventBus bus)
{
    /// <summary>Opens the alert unless it is open already; returns it when new.</summary>
    public async Task<Alert?> RaiseAsync(HandlerContext context, string kind, string subject, string severity, string message,
        CancellationToken cancellationToken)
    {
        // Look before inserting: an insert that meets a concurrent one on the unique index waits for
        // its transaction, and a flood of events raising the same open alert would queue up on it.
        if (await IsOpenAsync(context, kind, subject, cancellationToken)) return null;
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO alerts (tenant_id, kind, subject, severity, message) VALUES (@tenant, @kind, @subject, @severity, @message)
            ON CONFLICT (tenant_id, kind, subject) WHERE status = 'open' DO NOTHING
            RETURNING id, created_at
            """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("subject", subject);
        cmd.Parameters.AddWithValue("severity", severity);
        cmd.Parameters.AddWithValue("message", message);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var alert = new Alert(reader.GetInt64(0), kind, subject, severity, message, reader.GetFieldValue<DateTimeOffset>(1));
        var notice = new BusNotice(BusNotice.AlertRaised, context.TenantId, alert.CreatedAt,
            JsonSerializer.SerializeToElement(alert, AlertJsonContext.Default.Alert));
        context.AfterCommit.Add(ct => bus.PublishAsync(notice, ct));
        return alert;
    }

    private static async Task<bool> IsOpenAsync(HandlerContext context, string kind, string subject, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM alerts WHERE tenant_id = @tenant AND kind = @kind AND subject = @subject AND status = 'open')",
            context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("subject", subject);
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Resolves the open alert of this kind and subject, if any; true when one was open.</summary>
    public static async Task<bool> ResolveAsync(HandlerContext context, string kind, string subject, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE alerts SET status = 'resolved', resolved_at = now()
            WHERE tenant_id = @tenant AND kind = @kind AND subject = @subject AND status = 'open'
            """, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("subject", subject);
        return await cmd.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Subjects of the tenant's open alerts of one kind.</summary>
    public static Task<HashSet<string>> OpenSubjectsAsync(HandlerContext context, string kind, CancellationToken cancellationToken) =>
        OpenSubjectsAsync(context, [kind], cancellationToken);

    /// <summary>The subjects of the tenant's open alerts of any of <paramref name="kinds"/>.</summary>
    public static async Task<HashSet<string>> OpenSubjectsAsync(HandlerContext context, IReadOnlyList<string> kinds, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(context.Connection, context.Transaction) { BatchCommands = { OpenSubjectsCommand(context.TenantId, kinds) } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadSubjectsAsync(reader, cancellationToken);
    }

    /// <summary>The statement of <see cref="OpenSubjectsAsync(HandlerContext, IReadOnlyList{string}, CancellationToken)"/>, for a batch that reads it with <see cref="ReadSubjectsAsync"/>.</summary>
    public static NpgsqlBatchCommand OpenSubjectsCommand(string tenantId, IReadOnlyList<string> kinds) =>
        BatchCommand.Of("SELECT subject FROM alerts WHERE tenant_id = $1 AND kind = ANY($2) AND status = 'open'", tenantId, kinds.ToArray());

    /// <summary>The subjects in the reader's current result set, that of <see cref="OpenSubjectsCommand"/>.</summary>
    public static async Task<HashSet<string>> ReadSubjectsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) subjects.Add(reader.GetString(0));
        return subjects;
    }
}
