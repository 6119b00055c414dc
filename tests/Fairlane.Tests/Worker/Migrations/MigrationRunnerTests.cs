using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Migrations;

namespace Fairlane.Tests.Worker.Migrations;

[Trait("Category", "Integration")]
public sealed class MigrationRunnerTests
{
    [Fact(Timeout = 60_000)]
    public async Task Applying_twice_applies_nothing_the_second_time()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var embedded = Migration.LoadEmbedded();

        Assert.Equal(embedded.Count, await db.MigrateAsync());
        Assert.Equal(0, await db.MigrateAsync());
        Assert.Equal(embedded.Count, (int)await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_runners_apply_each_migration_exactly_once()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var embedded = Migration.LoadEmbedded();

        // Eight nodes starting at once: the advisory lock lets one apply; the rest find nothing to do.
        var applied = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.MigrateAsync())));

        Assert.Equal(embedded.Count, applied.Sum());
        Assert.Equal(embedded.Count, (int)await db.ScalarAsync<long>("SELECT count(DISTINCT version) FROM schema_migrations"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_design_table_exists_and_every_tenant_table_has_row_level_security()
    {
        await using var db = await TestDatabase.CreateAsync();
        string[] tenantOwned = ["tenants", "channels", "products", "product_channel_mappings", "sync_events", "alerts",
                                "processed_events", "parked_events", "outbox"];
        // dlq_index is owner-only like dead_letters (V011): DeadLetterIndexTests covers it.
        string[] fleetWide = ["leadership", "guardian_runs", "dlq_index"];

        foreach (var table in tenantOwned.Concat(fleetWide))
            Assert.True(await db.ScalarAsync<bool>($"SELECT to_regclass('public.{table}') IS NOT NULL"), $"{table} is missing");
        foreach (var table in tenantOwned)
        {
            Assert.True(await db.ScalarAsync<bool>($"SELECT relrowsecurity FROM pg_class WHERE oid = 'public.{table}'::regclass"),
                $"{table} has no row-level security");
            Assert.True(await db.ScalarAsync<long>($"SELECT count(*) FROM pg_policies WHERE tablename = '{table}'") > 0,
                $"{table} has no policy");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_changed_applied_migration_stops_the_run()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.ScalarAsync<int>("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1 RETURNING version");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => db.MigrateAsync());
        Assert.Contains("V001", ex.Message);
        Assert.Contains("different script", ex.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_missing_application_role_is_named()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => db.MigrateAsync(appRole: "no_such_role"));
        Assert.Contains("Postgres:AppRole", ex.Message);
        Assert.Contains("no_such_role", ex.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_application_role_cannot_touch_the_migration_ledger()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var cmd = db.App.CreateCommand("SELECT count(*) FROM schema_migrations");

        var ex = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => cmd.ExecuteScalarAsync());
        Assert.Equal("42501", ex.SqlState); // insufficient_privilege
    }
}
