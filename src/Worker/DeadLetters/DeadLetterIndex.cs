using Npgsql;

namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// The owner-only <c>dlq_index</c> (see V011 for why it is not tenant-scoped): one row per dead letter
/// the sink kept, which operators list and replay. Every statement stands alone; none waits on Kafka.
/// </summary>
internal sealed class DeadLetterIndex(NpgsqlDataSource owner)
{
    // A dead letter kept again after a crash (same origin) keeps one row, pointing at its latest copy.
    private const string Insert = """
        INSERT INTO dlq_index (tenant_id, event_id, event_type, reason, detail, attempts, exception_type,
                               origin_topic, origin_partition, origin_offset, dlq_partition, dlq_offset)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        ON CONFLICT (origin_topic, origin_partition, origin_offset)
        DO UPDATE SET dlq_partition = EXCLUDED.dlq_partition, dlq_offset = EXCLUDED.dlq_offset
        """;

    private const string Columns = """
        id, tenant_id, event_id, event_type, reason, detail, attempts, origin_topic, origin_partition, origin_offset,
        dlq_partition, dlq_offset, created_at, replayed_at, replay_count
        """;

    /// <summary>Indexes a dead letter once it is kept (<paramref name="kept"/> says where).</summary>
    public async Task RecordAsync(DeadLetterSource source, DeadLetter letter, DeadLetterIdentity identity, DeadLetterKept kept,
        CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand(Insert);
        foreach (var value in new object?[]
                 {
                     identity.Tenant, identity.EventId, identity.EventType, letter.Reason, letter.Detail, letter.Attempts, letter.ExceptionType,
                     source.Topic, source.Partition, source.Offset, kept.Partition, kept.Offset,
                 })
            Add(cmd, value);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The dead letters that match, oldest first; <paramref name="onlyUnreplayed"/> leaves out those replayed before.</summary>
    public async Task<List<DeadLetterEntry>> FindAsync(DeadLetterFilter filter, bool onlyUnreplayed, CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand($"""
            SELECT {Columns} FROM dlq_index
            WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR reason = $2)
              AND ($3::timestamptz IS NULL OR created_at >= $3) AND (NOT $4 OR replayed_at IS NULL)
            ORDER BY id LIMIT $5
            """);
        Add(cmd, filter.Tenant);
        Add(cmd, filter.Reason);
        Add(cmd, filter.Since);
        Add(cmd, onlyUnreplayed);
        Add(cmd, filter.Limit);
        var entries = new List<DeadLetterEntry>();
        await using var row = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await row.ReadAsync(cancellationToken))
        {
            entries.Add(new DeadLetterEntry(row.GetInt64(0), Text(row, 1), Text(row, 2), Text(row, 3), row.GetString(4), row.GetString(5),
                row.GetInt32(6), row.GetString(7), row.GetInt32(8), row.GetInt64(9),
                row.IsDBNull(10) ? null : row.GetInt32(10), row.IsDBNull(11) ? null : row.GetInt64(11),
                row.GetFieldValue<DateTimeOffset>(12), row.IsDBNull(13) ? null : row.GetFieldValue<DateTimeOffset>(13), row.GetInt32(14)));
        }
        return entries;
    }

    /// <summary>Marks a dead letter replayed, after its record was re-sent.</summary>
    public async Task MarkReplayedAsync(long id, CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand("UPDATE dlq_index SET replayed_at = now(), replay_count = replay_count + 1 WHERE id = $1");
        Add(cmd, id);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? Text(NpgsqlDataReader row, int i) => row.IsDBNull(i) ? null : row.GetString(i);

    private static void Add(NpgsqlCommand cmd, object? value) => cmd.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
}
