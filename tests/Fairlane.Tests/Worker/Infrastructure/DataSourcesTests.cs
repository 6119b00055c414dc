using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Worker.Infrastructure;

/// <summary>The app pool prepares the statements every event repeats and skips the session reset; an operator's connection string still decides.</summary>
public sealed class DataSourcesTests
{
    private const string Repeated = "SELECT count(*) FROM tenants WHERE id = @id";

    [Fact(Timeout = 60_000)]
    public async Task A_statement_the_app_pool_runs_again_and_again_is_prepared_on_its_connection()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var sources = new DataSources(Options.Create(new PostgresOptions
            { ConnectionString = db.AppConnectionString, OwnerConnectionString = db.OwnerConnectionString }));

        Assert.True(await PreparedAfterRepeatsAsync(sources.App));
        Assert.False(await PreparedAfterRepeatsAsync(sources.Owner)); // fleet-wide jobs run rarely: nothing kept
    }

    [Fact(Timeout = 60_000)]
    public async Task A_connection_string_that_turns_preparing_off_is_obeyed()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var sources = new DataSources(Options.Create(new PostgresOptions
            { ConnectionString = db.AppConnectionString + ";Max Auto Prepare=0", OwnerConnectionString = db.OwnerConnectionString }));

        Assert.False(await PreparedAfterRepeatsAsync(sources.App));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_app_pool_hands_a_connection_back_without_a_reset_and_the_owner_pool_resets_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var sources = new DataSources(Options.Create(new PostgresOptions
        {
            ConnectionString = db.AppConnectionString + ";Maximum Pool Size=1",
            OwnerConnectionString = db.OwnerConnectionString + ";Maximum Pool Size=1",
        }));

        Assert.Equal("left", await SessionSettingAfterReuseAsync(sources.App)); // no reset statements on the next use
        Assert.Equal("", await SessionSettingAfterReuseAsync(sources.Owner)); // session advisory locks and all are cleared
    }

    // Leaves a session setting on the pool's one connection, gives it back, takes it again and reads the setting.
    private static async Task<string> SessionSettingAfterReuseAsync(Npgsql.NpgsqlDataSource source)
    {
        await using (var connection = await source.OpenConnectionAsync())
        {
            await using var set = new Npgsql.NpgsqlCommand("SELECT set_config('fairlane.probe', 'left', false)", connection);
            await set.ExecuteScalarAsync();
        }
        await using var again = await source.OpenConnectionAsync();
        await using var read = new Npgsql.NpgsqlCommand("SELECT coalesce(current_setting('fairlane.probe', true), '')", again);
        return (string)(await read.ExecuteScalarAsync())!;
    }

    // Runs the statement on one connection as a worker would, then asks that session what it prepared.
    private static async Task<bool> PreparedAfterRepeatsAsync(Npgsql.NpgsqlDataSource source)
    {
        await using var connection = await source.OpenConnectionAsync();
        for (var i = 0; i < 10; i++)
        {
            await using var cmd = new Npgsql.NpgsqlCommand(Repeated, connection);
            cmd.Parameters.AddWithValue("id", $"t{i}");
            await cmd.ExecuteScalarAsync();
        }
        await using var prepared = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM tenants WHERE id = $1%'", connection);
        return (long)(await prepared.ExecuteScalarAsync())! > 0;
    }
}
