using Npgsql;

namespace Fairlane.LoadTest.Stack;

/// <summary>
/// A database of the run's own, created by the schema owner, migrated by `fairlane migrate` (the
/// daemon's own migrations, as an operator would apply them) and dropped at the end, so runs never
/// see each other's rows.
/// </summary>
internal sealed class RunDatabase : IAsyncDisposable
{
    private readonly LocalServers _servers;

    private RunDatabase(LocalServers servers, string name)
    {
        _servers = servers;
        Name = name;
        Owner = NpgsqlDataSource.Create(servers.OwnerConnectionString(name));
        App = NpgsqlDataSource.Create(servers.AppConnectionString(name));
    }

    public string Name { get; }
    public NpgsqlDataSource Owner { get; }
    public NpgsqlDataSource App { get; }
    public string OwnerConnectionString => _servers.OwnerConnectionString(Name);
    public string AppConnectionString => _servers.AppConnectionString(Name);

    /// <summary>When true the database outlives the run (<c>--keep-databases</c>), for digging into it afterwards.</summary>
    public bool Keep { get; set; }

    public static async Task<RunDatabase> CreateAsync(LocalServers servers, string name, CancellationToken cancellationToken)
    {
        await using (var admin = new NpgsqlConnection(servers.OwnerConnectionString("postgres")))
        {
            await admin.OpenAsync(cancellationToken);
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        var db = new RunDatabase(servers, name);
        var (code, output) = await FairlaneProcess.RunToEndAsync(["migrate"], new Dictionary<string, string>
        {
            ["FAIRLANE__POSTGRES__CONNECTIONSTRING"] = db.AppConnectionString,
            ["FAIRLANE__POSTGRES__OWNERCONNECTIONSTRING"] = db.OwnerConnectionString,
        }, TimeSpan.FromMinutes(2), cancellationToken);
        if (code != 0) throw new InvalidOperationException($"fairlane migrate exited {code} for database {name}:\n{output}");
        return db;
    }

    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var cmd = Owner.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        await Owner.DisposeAsync();
        await App.DisposeAsync();
        if (Keep) return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_servers.OwnerConnectionString("postgres"));
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }
}
