using Fairlane.Agents.Handling;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Agents.Handlers;

/// <summary>
/// Two runs of one tenant's reports touching the same two products in opposite orders, as two workers
/// would run them side by side. Each locks its run's items first, in product order (what the pipeline's
/// handler step does for a run of several), so the second waits for the first instead of closing a
/// cycle that PostgreSQL would break after a second by rolling one back.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WatcherRunLockTests
{
    private const string Tenant = "grocer";

    [Fact(Timeout = 60_000)]
    public async Task Runs_locking_the_same_items_in_opposite_orders_wait_for_each_other_instead_of_deadlocking()
    {
        await using var bed = await HandlerTestBed.StartAsync(Tenant);
        await Catalog.SeedAsync(bed.Db, Tenant, [new("pos", "eposnow")], [new("p1", 10), new("p2", 20)], [new("p1", "pos", "a"), new("p2", "pos", "b")]);
        var watcher = bed.Watcher();
        TypedEnvelope Sale(string item) => EventCatalog.StockChanged.Decode(EventCatalog.StockChanged.Create(Tenant,
            new StockChanged { ChannelId = "pos", ChannelType = "eposnow", ExternalId = item, Delta = -1 }));
        var firstRun = new[] { Sale("a"), Sale("b") };
        var secondRun = new[] { Sale("b"), Sale("a") };
        var firstHalfDone = new TaskCompletionSource();
        var secondMayFinish = new TaskCompletionSource();

        var first = bed.Tenants.InTenantTransactionAsync(Tenant, async (c, tx, ct) =>
        {
            var context = new HandlerContext(c, tx, Tenant, default);
            await watcher.LockAsync(firstRun, context, ct);
            await ((IEventHandler)watcher).HandleAsync(firstRun[0], context, ct);
            firstHalfDone.SetResult();
            await secondMayFinish.Task; // the second run starts meanwhile
            await ((IEventHandler)watcher).HandleAsync(firstRun[1], context, ct);
            foreach (var write in context.BeforeCommit) await write(ct);
            return true;
        }, CancellationToken.None);
        await firstHalfDone.Task;
        var second = bed.Tenants.InTenantTransactionAsync(Tenant, async (c, tx, ct) =>
        {
            var context = new HandlerContext(c, tx, Tenant, default);
            await watcher.LockAsync(secondRun, context, ct);
            foreach (var sale in secondRun) await ((IEventHandler)watcher).HandleAsync(sale, context, ct);
            foreach (var write in context.BeforeCommit) await write(ct);
            return true;
        }, CancellationToken.None);

        // The second run waits on a lock the first holds; only then does the first go on.
        // (Asked as the application role: PostgreSQL shows a role only its own sessions' waits.)
        await using var waits = bed.Db.App.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND usename = current_user AND wait_event_type = 'Lock'");
        await Eventually.WaitAsync(async () => (long)(await waits.ExecuteScalarAsync())!,
            waiting => waiting == 1, TimeSpan.FromSeconds(20), "the second run to wait for the first");
        secondMayFinish.SetResult();
        await Task.WhenAll(first, second); // neither was rolled back as a deadlock victim

        Assert.Equal("p1 8, p2 18", await bed.Db.ScalarAsync<string>("SELECT string_agg(id || ' ' || stock, ', ' ORDER BY id) FROM products"));
    }
}
