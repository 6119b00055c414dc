using Fairlane.Agents.Tenants;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using Npgsql;

namespace Fairlane.Tests.Agents.Tenants;

/// <summary>A tenant's ordering and automatic concurrency through the lifecycle, on the real schema.</summary>
[Trait("Category", "Integration")]
public sealed class TenantOrderingLifecycleTests
{
    [Fact(Timeout = 60_000)]
    public async Task Ordering_and_concurrency_round_trip_through_the_lifecycle()
    {
        await using var db = await TestDatabase.CreateAsync();

        var registered = await InTransaction(db, (c, tx) => TenantLifecycle.RegisterAsync(c, tx,
            new TenantRegistration("acme", "Acme", TenantLimitsChange.None), ReRegistration.RefuseUnlessDeleted, CancellationToken.None));
        Assert.Null(registered.Tenant.Concurrency); // automatic by default
        Assert.Equal(TenantOrdering.Item, registered.Tenant.Ordering);
        Assert.Equal("|item", await Stored(db));

        var strict = await InTransaction(db, (c, tx) => TenantLifecycle.UpdateAsync(c, tx, "acme", null,
            new TenantLimitsChange { Ordering = TenantOrdering.Tenant, Concurrency = OptionalLimit<int>.To(6) }, CancellationToken.None));
        Assert.Equal((6, TenantOrdering.Tenant), (strict.Tenant.Concurrency, strict.Tenant.Ordering));
        Assert.Equal("6|tenant", await Stored(db));
        var record = Assert.Single(await TenantRecord.ReadAllAsync(db.Owner, CancellationToken.None));
        Assert.Equal((6, TenantOrdering.Tenant), (record.Concurrency, record.Ordering));

        // Leaving ordering out keeps it; clearing concurrency makes it automatic again.
        var auto = await InTransaction(db, (c, tx) => TenantLifecycle.UpdateAsync(c, tx, "acme", null,
            new TenantLimitsChange { Concurrency = OptionalLimit<int>.Clear }, CancellationToken.None));
        Assert.Equal((null, TenantOrdering.Tenant), (auto.Tenant.Concurrency, auto.Tenant.Ordering));
        Assert.Equal("|tenant", await Stored(db));
        record = Assert.Single(await TenantRecord.ReadAllAsync(db.Owner, CancellationToken.None));
        Assert.Equal((null, TenantOrdering.Tenant), (record.Concurrency, record.Ordering));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_control_command_sets_the_ordering_and_refuses_an_unknown_one()
    {
        await using var db = await TestDatabase.CreateAsync();
        await InTransaction(db, (c, tx) => TenantLifecycle.RegisterAsync(c, tx,
            new TenantRegistration("acme", null, TenantLimitsChange.None), ReRegistration.RefuseUnlessDeleted, CancellationToken.None));

        var applied = await InTransaction(db, (c, tx) =>
            TenantCommands.ApplyAsync(new TenantCommand { Command = "update", Ordering = "tenant" }, c, tx, "acme", CancellationToken.None));
        Assert.Equal(new TenantCommandResult(true, null), applied);
        Assert.Equal("|tenant", await Stored(db));

        var refused = await InTransaction(db, (c, tx) =>
            TenantCommands.ApplyAsync(new TenantCommand { Command = "update", Ordering = "strict" }, c, tx, "acme", CancellationToken.None));
        Assert.False(refused.Changed);
        Assert.Contains("ordering", refused.Refused);
        Assert.Equal("|tenant", await Stored(db));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_migration_makes_tenants_left_at_the_old_default_automatic_and_keeps_chosen_values()
    {
        await using var db = await TestDatabase.CreateAsync();
        // Put the table back as it was before V008, with a tenant at the old default and one that chose 4.
        await db.ExecuteAsync("""
            ALTER TABLE tenants DROP COLUMN ordering;
            ALTER TABLE tenants ALTER COLUMN concurrency SET DEFAULT 1;
            INSERT INTO tenants (id) VALUES ('defaulted');
            INSERT INTO tenants (id, concurrency) VALUES ('chosen', 4);
            ALTER TABLE tenants ALTER COLUMN concurrency SET NOT NULL;
            DELETE FROM schema_migrations WHERE version = 8;
            """);

        Assert.Equal(1, await db.MigrateAsync());

        Assert.Equal("chosen=4|item,defaulted=|item", await db.ScalarAsync<string>(
            "SELECT string_agg(id || '=' || coalesce(concurrency::text, '') || '|' || ordering, ',' ORDER BY id) FROM tenants"));
        await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("UPDATE tenants SET ordering = 'none'"));
    }

    private static Task<string> Stored(TestDatabase db) =>
        db.ScalarAsync<string>("SELECT coalesce(concurrency::text, '') || '|' || ordering FROM tenants WHERE id = 'acme'");

    private static async Task<T> InTransaction<T>(TestDatabase db, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work)
    {
        await using var connection = await db.Owner.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await work(connection, tx);
        await tx.CommitAsync();
        return result;
    }
}
