using Fairlane.Agents.Handling;
using Fairlane.Contracts;
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
    /// <summary>
    /// Adds an event of <paramref name="definition"/>'s type for the context's tenant. Its topic comes
    /// from the catalogue entry (the row keeps the topic's name without the prefix, for operators).
    /// </summary>
    public static async Task AddAsync<TPayload>(HandlerContext context, EventDefinition<TPayload> definition, TPayload payload, string id,
        CancellationToken cancellationToken) where TPayload : class
    {
        await using var batch = new NpgsqlBatch(context.Connection, context.Transaction) { BatchCommands = { Command(context, definition, payload, id) } };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The statement <see cref="AddAsync"/> runs, for a handler that sends it in a batch with its own writes.</summary>
    public static NpgsqlBatchCommand Command<TPayload>(HandlerContext context, EventDefinition<TPayload> definition, TPayload payload, string id)
        where TPayload : class
    {
        var envelope = definition.Create(context.TenantId, payload, id);
        var command = new NpgsqlBatchCommand("INSERT INTO outbox (tenant_id, topic, event_id, value) VALUES ($1, $2, $3, $4)");
        command.Parameters.Add(new NpgsqlParameter { Value = context.TenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = Topics.Suffix(definition.Topic) });
        command.Parameters.Add(new NpgsqlParameter { Value = envelope.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = EnvelopeCodec.Encode(envelope) });
        return command;
    }

    /// <summary>
    /// Adds one event of <paramref name="definition"/>'s type for each of several tenants in one
    /// statement, in the caller's (fleet-wide) transaction: the Guardian leader's fan-out of a run's jobs.
    /// </summary>
    public static async Task AddForTenantsAsync<TPayload>(NpgsqlConnection connection, NpgsqlTransaction transaction,
        EventDefinition<TPayload> definition, IReadOnlyList<(string Tenant, TPayload Payload, string Id)> events,
        CancellationToken cancellationToken) where TPayload : class
    {
        var envelopes = events.Select(e => definition.Create(e.Tenant, e.Payload, e.Id)).ToList();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO outbox (tenant_id, topic, event_id, value) SELECT t, @topic, e, v FROM unnest(@tenants, @ids, @values) AS j(t, e, v)
            """, connection, transaction);
        cmd.Parameters.AddWithValue("topic", Topics.Suffix(definition.Topic));
        cmd.Parameters.AddWithValue("tenants", envelopes.Select(e => e.TenantId).ToArray());
        cmd.Parameters.AddWithValue("ids", envelopes.Select(e => e.Id).ToArray());
        cmd.Parameters.AddWithValue("values", envelopes.Select(EnvelopeCodec.Encode).ToArray());
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
