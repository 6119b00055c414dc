using Fairlane.Agents.Handling;
using Fairlane.Contracts.Events;
using Npgsql;

namespace Fairlane.Agents.Tenants;

/// <summary>Tells every node that a tenant's status or limits changed, so they reload it at once.</summary>
public interface ITenantChangeNotice
{
    Task PublishAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>
/// Applies tenant lifecycle commands from the control topic to the tenant's own row (row-level
/// security lets the tenant-bound transaction touch nothing else), then tells the fleet. Register
/// creates the tenant or re-activates a deleted one; unregister keeps its data and marks it deleted,
/// after which its events are dead-lettered as tenant-deleted. Invalid limits violate the table's
/// checks and are dead-lettered with the database's message.
/// </summary>
public sealed class TenantCommandHandler(ITenantChangeNotice notice) : IEventHandler
{
    public string Agent => "control";
    public string EventType => EventTypes.TenantCommand;
    public bool RequiresRegisteredTenant => false;

    public async Task<Outcome> HandleAsync(EventEnvelope envelope, HandlerContext context, CancellationToken cancellationToken)
    {
        var command = EnvelopeCodec.ReadPayload(envelope, FairlaneJsonContext.Default.TenantCommand);
        var sql = command.Command switch
        {
            "register" => """
                INSERT INTO tenants (id, name, weight, concurrency, rate_limit_per_second, max_queue_depth, monthly_budget)
                VALUES (@id, coalesce(@name, ''), coalesce(@weight, 1), coalesce(@concurrency, 1), @rate, @depth, @budget)
                ON CONFLICT (id) DO UPDATE SET status = 'active', name = coalesce(@name, tenants.name),
                    weight = coalesce(@weight, tenants.weight), concurrency = coalesce(@concurrency, tenants.concurrency),
                    rate_limit_per_second = coalesce(@rate, tenants.rate_limit_per_second),
                    max_queue_depth = coalesce(@depth, tenants.max_queue_depth),
                    monthly_budget = coalesce(@budget, tenants.monthly_budget), updated_at = now()
                """,
            "update" => """
                UPDATE tenants SET name = coalesce(@name, name), weight = coalesce(@weight, weight),
                    concurrency = coalesce(@concurrency, concurrency), rate_limit_per_second = coalesce(@rate, rate_limit_per_second),
                    max_queue_depth = coalesce(@depth, max_queue_depth), monthly_budget = coalesce(@budget, monthly_budget), updated_at = now()
                WHERE id = @id AND status <> 'deleted'
                """,
            "pause" => "UPDATE tenants SET status = 'paused', updated_at = now() WHERE id = @id AND status = 'active'",
            "resume" => "UPDATE tenants SET status = 'active', updated_at = now() WHERE id = @id AND status = 'paused'",
            "unregister" => "UPDATE tenants SET status = 'deleted', updated_at = now() WHERE id = @id",
            _ => null,
        };
        if (sql is null) return Outcome.Permanent($"unknown tenant command '{command.Command}'");

        await using var cmd = new NpgsqlCommand(sql, context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("id", context.TenantId);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("name", command.Name) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(Nullable("weight", command.Weight));
        cmd.Parameters.Add(Nullable("concurrency", command.Concurrency));
        cmd.Parameters.Add(Nullable("rate", command.RatePerSecond));
        cmd.Parameters.Add(Nullable("depth", command.MaxQueueDepth));
        cmd.Parameters.Add(Nullable("budget", command.MonthlyBudget));
        // A command with nothing to change (pausing a paused tenant, updating a deleted one) is a no-op, not an error.
        if (await cmd.ExecuteNonQueryAsync(cancellationToken) > 0)
            context.AfterCommit.Add(ct => notice.PublishAsync(context.TenantId, ct));
        return Outcome.Done;
    }

    private static NpgsqlParameter Nullable<T>(string name, T? value) where T : struct =>
        new NpgsqlParameter<T?>(name, value) { NpgsqlDbType = typeof(T) == typeof(double) ? NpgsqlTypes.NpgsqlDbType.Double
            : typeof(T) == typeof(long) ? NpgsqlTypes.NpgsqlDbType.Bigint : NpgsqlTypes.NpgsqlDbType.Integer };
}
