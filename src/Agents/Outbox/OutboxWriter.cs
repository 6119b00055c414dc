using System.Diagnostics;
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
        var command = new NpgsqlBatchCommand("INSERT INTO outbox (tenant_id, topic, event_id, value, trace_parent, trace_state) VALUES ($1, $2, $3, $4, $5, $6)");
        command.Parameters.Add(new NpgsqlParameter { Value = context.TenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = Topics.Suffix(definition.Topic) });
        command.Parameters.Add(new NpgsqlParameter { Value = envelope.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = EnvelopeCodec.Encode(envelope) });
        var (parent, state) = CurrentTraceContext();
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = parent, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = state, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
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
            INSERT INTO outbox (tenant_id, topic, event_id, value, trace_parent, trace_state)
            SELECT t, @topic, e, v, @parent, @state FROM unnest(@tenants, @ids, @values) AS j(t, e, v)
            """, connection, transaction);
        AddTraceContext(cmd);
        cmd.Parameters.AddWithValue("topic", Topics.Suffix(definition.Topic));
        cmd.Parameters.AddWithValue("tenants", envelopes.Select(e => e.TenantId).ToArray());
        cmd.Parameters.AddWithValue("ids", envelopes.Select(e => e.Id).ToArray());
        cmd.Parameters.AddWithValue("values", envelopes.Select(EnvelopeCodec.Encode).ToArray());
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    // The row keeps the trace context of the transaction writing it (the span current in the handler),
    // so the relay publishes the event as part of its cause's trace. Null when nothing is traced.
    private static void AddTraceContext(NpgsqlCommand cmd)
    {
        var (parent, state) = CurrentTraceContext();
        cmd.Parameters.Add(new NpgsqlParameter<string?>("parent", parent) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("state", state) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    }

    private static (string? Parent, string? State) CurrentTraceContext() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } span ? (span.Id, span.TraceStateString) : (null, null);
}
