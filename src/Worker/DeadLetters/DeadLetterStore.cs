using System.Text;
using Npgsql;

namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// The last resort for a dead letter the dead-letter topic refuses for good: the record's key, value
/// and headers with the reason and origin, in the owner-only <c>dead_letters</c> table. One statement,
/// no transaction held across anything else.
/// </summary>
internal sealed class DeadLetterStore(NpgsqlDataSource owner)
{
    private const string Insert = """
        INSERT INTO dead_letters (tenant_id, reason, detail, attempts, exception_type, publish_error,
                                  origin_topic, origin_partition, origin_offset, record_key, record_value, header_names, header_values)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (origin_topic, origin_partition, origin_offset) DO NOTHING
        """;

    public async Task StoreAsync(DeadLetterSource source, DeadLetter letter, string publishError, CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand(Insert);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)source.Key ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { Value = letter.Reason });
        cmd.Parameters.Add(new NpgsqlParameter { Value = letter.Detail });
        cmd.Parameters.Add(new NpgsqlParameter { Value = letter.Attempts });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)letter.ExceptionType ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { Value = publishError });
        cmd.Parameters.Add(new NpgsqlParameter { Value = source.Topic });
        cmd.Parameters.Add(new NpgsqlParameter { Value = source.Partition });
        cmd.Parameters.Add(new NpgsqlParameter { Value = source.Offset });
        cmd.Parameters.Add(new NpgsqlParameter { Value = source.Key is null ? DBNull.Value : Encoding.UTF8.GetBytes(source.Key) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)source.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
        cmd.Parameters.Add(new NpgsqlParameter { Value = source.Headers.Select(h => h.Key).ToArray() });
        // A header may carry no value; an empty array element keeps names and values aligned.
        cmd.Parameters.Add(new NpgsqlParameter { Value = source.Headers.Select(h => h.Value ?? []).ToArray() });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The stored record of the dead letter from this origin, for a replay; null when it is gone.</summary>
    public async Task<DeadLetterRecord?> LoadAsync(string topic, int partition, long offset, CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand("""
            SELECT convert_from(record_key, 'UTF8'), record_value, header_names, header_values
            FROM dead_letters WHERE origin_topic = $1 AND origin_partition = $2 AND origin_offset = $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = topic });
        cmd.Parameters.Add(new NpgsqlParameter { Value = partition });
        cmd.Parameters.Add(new NpgsqlParameter { Value = offset });
        await using var row = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken)) return null;
        var names = row.GetFieldValue<string[]>(2);
        var values = row.GetFieldValue<byte[][]>(3);
        return new DeadLetterRecord(
            row.IsDBNull(0) ? null : row.GetString(0),
            row.IsDBNull(1) ? null : row.GetFieldValue<byte[]>(1),
            [.. names.Zip(values, KeyValuePair.Create)],
            $"dead_letters {topic}/{partition}@{offset}");
    }
}
