using Fairlane.Worker.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// A database of its own for one test, created by the schema owner and dropped afterwards, so no
/// test sees another's rows.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name)
    {
        Name = name;
        Owner = NpgsqlDataSource.Create(TestServers.OwnerConnectionString(name));
        App = NpgsqlDataSource.Create(TestServers.AppConnectionString(name));
    }

    public string Name { get; }
    public NpgsqlDataSource Owner { get; }
    public NpgsqlDataSource App { get; }
    public string OwnerConnectionString => TestServers.OwnerConnectionString(Name);
    public string AppConnectionString => TestServers.AppConnectionString(Name);

    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var name = TestServers.UniqueName("fl_test");
        await using (var admin = new NpgsqlConnection(TestServers.OwnerConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        var db = new TestDatabase(name);
        if (migrate) await db.MigrateAsync();
        return db;
    }

    public Task<int> MigrateAsync(string appRole = "fairlane_app") =>
        new MigrationRunner(Owner, appRole, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);

    /// <summary>Registers tenants (as the owner), with optional settings.</summary>
    public async Task RegisterTenantsAsync(IEnumerable<string> tenants, int weight = 1, int concurrency = 1, string status = "active")
    {
        await using var cmd = Owner.CreateCommand("""
            INSERT INTO tenants (id, weight, concurrency, status) SELECT t, @w, @c, @s FROM unnest(@ids) AS t
            ON CONFLICT (id) DO UPDATE SET weight = excluded.weight, concurrency = excluded.concurrency, status = excluded.status
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("ids", tenants.ToArray()));
        cmd.Parameters.AddWithValue("w", weight);
        cmd.Parameters.AddWithValue("c", concurrency);
        cmd.Parameters.AddWithValue("s", status);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = Owner.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement as the owner (e.g. to corrupt a row the way a bad manual edit would).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var cmd = Owner.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Owner.DisposeAsync();
        await App.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestServers.OwnerConnectionString("postgres"));
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }
}
