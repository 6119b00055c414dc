using Npgsql;

namespace Fairlane.Agents.Guardian;

/// <summary>
/// The fencing token of DESIGN §6. Every Guardian write transaction first share-locks the leadership
/// row at its epoch: no row means a newer leader bumped the epoch, so the transaction must not
/// write. The share lock makes a new leader's bump wait for transactions already past this check,
/// and the idle timeout keeps a stalled ex-leader from holding that lock for long.
/// </summary>
public static class GuardianFence
{
    public const string Job = "guardian";

    /// <summary>True when <paramref name="epoch"/> is still the newest; the row stays share-locked until the transaction ends.</summary>
    public static async Task<bool> HoldsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long epoch, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            SET LOCAL idle_in_transaction_session_timeout = '30s';
            SELECT 1 FROM leadership WHERE job = @job AND epoch = @epoch FOR SHARE
            """, connection, tx);
        cmd.Parameters.AddWithValue("job", Job);
        cmd.Parameters.AddWithValue("epoch", epoch);
        return await cmd.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Takes the next epoch for <paramref name="node"/>; waits for transactions fenced by the previous one.</summary>
    public static async Task<long> AdvanceAsync(NpgsqlConnection connection, string node, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE leadership SET epoch = epoch + 1, holder = @node, acquired_at = now() WHERE job = @job RETURNING epoch
            """, connection);
        cmd.Parameters.AddWithValue("job", Job);
        cmd.Parameters.AddWithValue("node", node);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }
}
