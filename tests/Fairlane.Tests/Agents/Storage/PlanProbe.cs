using System.Text.Json;
using Fairlane.Agents.Storage;
using Npgsql;

namespace Fairlane.Tests.Agents.Storage;

/// <summary>
/// One statement prepared on a connection of its own, bound to a tenant, in a <see cref="GenericPlans"/>
/// stretch: run once (which makes and keeps its generic plan), then explained as run again with that
/// plan, to count the pages it touched. Every run is rolled back.
/// </summary>
internal sealed class PlanProbe : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _tenantId;
    private readonly string _arguments;

    private PlanProbe(NpgsqlConnection connection, string tenantId, string arguments)
    {
        _connection = connection;
        _tenantId = tenantId;
        _arguments = arguments;
    }

    public static async Task<PlanProbe> PrepareAsync(NpgsqlDataSource app, string tenantId, NpgsqlBatchCommand command)
    {
        var connection = await app.OpenConnectionAsync();
        await using (var prepare = new NpgsqlCommand($"PREPARE probe AS {command.CommandText}", connection))
            await prepare.ExecuteNonQueryAsync();
        // EXECUTE takes its arguments as SQL text: the server writes each value as a literal.
        var arguments = "";
        if (command.Parameters.Count > 0)
        {
            await using var quote = new NpgsqlCommand(
                "SELECT " + string.Join(", ", Enumerable.Range(1, command.Parameters.Count).Select(i => $"quote_nullable(${i})")), connection);
            foreach (NpgsqlParameter parameter in command.Parameters) quote.Parameters.Add(parameter.Clone());
            await using var literals = await quote.ExecuteReaderAsync();
            await literals.ReadAsync();
            arguments = "(" + string.Join(", ", Enumerable.Range(0, literals.FieldCount).Select(literals.GetString)) + ")";
        }
        var probe = new PlanProbe(connection, tenantId, arguments);
        await probe.RunAsync("EXECUTE probe");
        return probe;
    }

    /// <summary>The pages (shared buffers hit or read) the statement touched, run again with the plan it keeps.</summary>
    public async Task<long> PagesAsync()
    {
        using var plan = JsonDocument.Parse(await RunAsync("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE probe"));
        // A node's counts include its children's; triggers (foreign keys checked on write) are outside the tree.
        var root = plan.RootElement[0].GetProperty("Plan");
        return root.GetProperty("Shared Hit Blocks").GetInt64() + root.GetProperty("Shared Read Blocks").GetInt64();
    }

    private async Task<string> RunAsync(string execute)
    {
        await using var tx = await _connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(_connection, tx) { BatchCommands = { TenantDatabase.BindCommand(_tenantId) } };
        GenericPlans.AddTo(batch, [new NpgsqlBatchCommand(execute + _arguments)]); // in a stretch, as in production
        string result = "";
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            // Past the binding's row, to the statement's rows if it returns any.
            if (await reader.NextResultAsync() && await reader.ReadAsync() && reader.FieldCount == 1 && reader.GetFieldType(0) == typeof(string))
                result = reader.GetString(0);
        }
        await tx.RollbackAsync();
        return result;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
