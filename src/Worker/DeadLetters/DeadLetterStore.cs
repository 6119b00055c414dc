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
}
