using Npgsql;

namespace Fairlane.Worker.Parking;

/// <summary>Removes parked events once they are processed, in the same transaction as its effects.</summary>
internal static class ParkedEvents
{
    public static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long parkId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("DELETE FROM parked_events WHERE id = @id", connection, tx);
        cmd.Parameters.AddWithValue("id", parkId);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task DeleteManyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long[] parkIds, CancellationToken cancellationToken)
    {
        if (parkIds.Length == 0) return;
        await using var cmd = new NpgsqlCommand("DELETE FROM parked_events WHERE id = ANY(@ids)", connection, tx);
        cmd.Parameters.AddWithValue("ids", parkIds);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
