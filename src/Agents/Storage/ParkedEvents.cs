using Npgsql;

namespace Fairlane.Agents.Storage;

/// <summary>Removes a parked event once it is processed, in the same transaction as its effects.</summary>
public static class ParkedEvents
{
    public static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long parkId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("DELETE FROM parked_events WHERE id = @id", connection, tx);
        cmd.Parameters.AddWithValue("id", parkId);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
