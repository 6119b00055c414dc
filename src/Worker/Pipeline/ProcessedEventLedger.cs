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
    /// Marks a run of events processed in one statement; returns the ids that were not yet recorded.
    /// An id repeated within the run is recorded once (the caller treats later copies as duplicates).
    /// </summary>
    public static async Task<HashSet<string>> TryRecordManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, IReadOnlyList<(string EventId, EventOrigin Origin)> events,
        CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO processed_events (tenant_id, event_id, topic, partition, "offset", produced_at)
            SELECT @tenant, e.id, e.topic, e.partition, e.off, e.produced
            FROM unnest(@ids, @topics, @partitions, @offsets, @produced) AS e(id, topic, partition, off, produced)
            ON CONFLICT (tenant_id, event_id) DO NOTHING
            RETURNING event_id
            """, connection, tx);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("ids", events.Select(e => e.EventId).ToArray());
        cmd.Parameters.AddWithValue("topics", events.Select(e => e.Origin.Topic).ToArray());
        cmd.Parameters.AddWithValue("partitions", events.Select(e => e.Origin.Partition).ToArray());
        cmd.Parameters.AddWithValue("offsets", events.Select(e => e.Origin.Offset).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter<DateTime?[]>("produced", events.Select(e => e.Origin.ProducedAt?.UtcDateTime).ToArray()));
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) recorded.Add(reader.GetString(0));
        return recorded;
    }
}
