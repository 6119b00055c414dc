using Npgsql;

using Fairlane.Agents.Handling;

namespace Fairlane.Worker.Pipeline;

/// <summary>
/// The exactly-once ledger. Recording an event shares the handler's transaction, so its effects
/// and its "done" mark commit together; a re-delivered event finds its mark and is skipped.
/// </summary>
internal static class ProcessedEventLedger
{
    /// <summary>Marks the event processed; false when it already was (a duplicate delivery).</summary>
    public static async Task<bool> TryRecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, string eventId, EventOrigin origin,
        CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO processed_events (tenant_id, event_id, topic, partition, "offset", produced_at)
            VALUES (@tenant, @event, @topic, @partition, @offset, @produced)
            ON CONFLICT (tenant_id, event_id) DO NOTHING
            """, connection, tx);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("event", eventId);
        cmd.Parameters.AddWithValue("topic", origin.Topic);
        cmd.Parameters.AddWithValue("partition", origin.Partition);
        cmd.Parameters.AddWithValue("offset", origin.Offset);
        cmd.Parameters.AddWithValue("produced", (object?)origin.ProducedAt ?? DBNull.Value);
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// The statement that marks a run of events processed, for a batch; its rows are the ids that were
    /// not yet recorded (read them with <see cref="FreshAsync"/>). An id repeated within the run is
    /// recorded once (the caller treats later copies as duplicates).
    /// </summary>
    public static NpgsqlBatchCommand RecordManyCommand(string tenantId, IReadOnlyList<(string EventId, EventOrigin Origin)> events)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO processed_events (tenant_id, event_id, topic, partition, "offset", produced_at)
            SELECT $1, e.id, e.topic, e.partition, e.off, e.produced
            FROM unnest($2::text[], $3::text[], $4::integer[], $5::bigint[], $6::timestamptz[]) AS e(id, topic, partition, off, produced)
            ON CONFLICT (tenant_id, event_id) DO NOTHING
            RETURNING event_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Origin.Topic).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Origin.Partition).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Origin.Offset).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = events.Select(e => e.Origin.ProducedAt?.UtcDateTime).ToArray() });
        return command;
    }

    /// <summary>The ids in the reader's current result (of <see cref="RecordManyCommand"/>): the events not yet recorded.</summary>
    public static async Task<HashSet<string>> FreshAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) recorded.Add(reader.GetString(0));
        return recorded;
    }
}
