using Npgsql;

namespace Fairlane.Agents.Storage;

/// <summary>Statements for an <see cref="NpgsqlBatch"/>: a store's writes sent together in one round trip.</summary>
public static class BatchCommand
{
    /// <summary>A statement with positional parameters ($1, $2, …) taking <paramref name="values"/> in order (DBNull for SQL null).</summary>
    public static NpgsqlBatchCommand Of(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}
