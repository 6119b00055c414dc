using Npgsql;

namespace Fairlane.Agents.Storage;

/// <summary>Where a consumed event came from, as recorded in the processed-events ledger.</summary>
public readonly record struct EventOrigin(string Topic, int Partition, long Offset, DateTimeOffset? ProducedAt);

/// <summary>
/// The exactly-once ledger. Recording an event shares the handler's transaction, so its effects
/// and its "done" mark commit together; a re-delivered event finds its mark and is skipped.
/// </summary>
public static class ProcessedEventLedger
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
}
