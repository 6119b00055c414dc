using Fairlane.Agents.Handling;
using Fairlane.Contracts.Events;
using Npgsql;

namespace Fairlane.Agents.Outbox;

/// <summary>
/// Emits a follow-up event from a handler: the row is written in the handler's transaction, so the
/// effect and the event it causes commit together; the relay publishes it afterwards. The event's id
/// is derived from the cause, so a replayed cause can never emit a second, different event.
/// </summary>
public static class OutboxWriter
{
    /// <param name="topic">The topic without its prefix: sync, alerts, guardian, webhooks, control.</param>
    public static async Task AddAsync(HandlerContext context, string topic, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        if (envelope.TenantId != context.TenantId)
            throw new InvalidOperationException($"An event of tenant '{context.TenantId}' cannot emit one for tenant '{envelope.TenantId}'.");
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO outbox (tenant_id, topic, event_id, value) VALUES (@tenant, @topic, @id, @value)",
            context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("topic", topic);
        cmd.Parameters.AddWithValue("id", envelope.Id);
        cmd.Parameters.AddWithValue("value", EnvelopeCodec.Encode(envelope));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
