using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Tests.Partitioning;

/// <summary>
/// Shares when running one event alone costs more than the quantum, as on a busy machine where every
/// transaction waits for a core: a tenant that brings one event per visit must not out-take a
/// backlogged one.
/// </summary>
public sealed class FairSchedulerBusyMachineTests
{
    private const int Small = 50;

    // One worker, quantum 10 ms. A run costs 40 ms plus 1 ms an event. The small tenants have one event
    // each, and each brings its next as soon as the last is done (so each goes idle between them); the
    // large one has a backlog and runs one at a time, in runs. Returns the worker time each got.
    private static (double Large, double SmallAverage, TimeSpan Grant) Shares()
    {
        var s = new FairScheduler<int>(new SchedulerOptions { Quantum = TimeSpan.FromMilliseconds(10), RunBudget = TimeSpan.FromMilliseconds(50) });
        for (var i = 0; i < 100_000; i++) s.Enqueue(new WorkItem<int>("large", $"k{i}", i));
        for (var t = 0; t < Small; t++) s.Enqueue(new WorkItem<int>($"small-{t}", "k", 0));
        var worked = new Dictionary<string, double>();
        var batch = new List<WorkItem<int>>();
        for (var run = 0; run < 20_000; run++)
        {
            Assert.True(s.TryDequeueBatch(TimeSpan.Zero, 100, batch));
            var cost = 40.0 + batch.Count;
            worked[batch[0].Tenant] = worked.GetValueOrDefault(batch[0].Tenant) + cost;
            foreach (var item in batch) s.Complete(item, TimeSpan.FromMilliseconds(cost / batch.Count));
            if (batch[0].Tenant != "large") s.Enqueue(new WorkItem<int>(batch[0].Tenant, "k", run));
        }
        return (worked["large"], worked.Where(w => w.Key != "large").Average(w => w.Value), s.RoundGrant);
    }

    [Fact]
    public void A_backlogged_tenant_gets_as_much_worker_time_as_one_that_brings_one_event_per_visit()
    {
        // With rounds granting only the 10 ms quantum, the large tenant got a quarter of a small one's time
        // (10 ms of credit a round against a 40 ms run each): the tenant with most to do, least served.
        var (large, small, grant) = Shares();

        Assert.InRange(large / small, 0.8, 1.25);
        Assert.InRange(grant.TotalMilliseconds, 39, 41); // what a run of one costs here (41 ms), not the 10 ms quantum
    }
}
