using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Tests.Partitioning;

/// <summary>How a tenant's run sizes follow what its runs cost: a fixed part per run and a part per event.</summary>
public sealed class RunCostModelTests
{
    private static readonly long Budget = TimeSpan.FromMilliseconds(50).Ticks;

    private static long Ms(double ms) => (long)(ms * TimeSpan.TicksPerMillisecond);

    // Forty runs after a first run of one: each as large as the model allows (at most the batch size of
    // 100), costing what runMs says a run of that size costs. Returns the sizes taken.
    private static List<int> Drive(double firstRunMs, Func<int, double> runMs)
    {
        var model = new RunCostModel();
        model.Observe(1, Ms(firstRunMs), 1);
        var sizes = new List<int>();
        for (var run = 0; run < 40; run++)
        {
            var n = Math.Min(100, model.EventsWithin(Budget)!.Value);
            sizes.Add(n);
            model.Observe(n, Ms(runMs(n)), 1);
        }
        return sizes;
    }

    [Fact]
    public void Runs_of_varied_sizes_show_the_fixed_and_the_per_event_cost()
    {
        var model = new RunCostModel();
        for (var round = 0; round < 5; round++)
            for (var n = 1; n <= 10; n++) model.Observe(n, Ms(30 + n), 1);

        var (fixedTicks, perEvent) = model.Fit()!.Value;
        Assert.InRange(fixedTicks / TimeSpan.TicksPerMillisecond, 29.5, 30.5);
        Assert.InRange(perEvent / TimeSpan.TicksPerMillisecond, 0.95, 1.05);
        Assert.Equal(50, model.EventsWithin(Budget)); // 50 / 1: the 30 ms every run pays is not the events'

    }

    [Fact]
    public void Nothing_is_estimated_before_a_run_was_seen()
    {
        Assert.Null(new RunCostModel().Fit());
        Assert.Null(new RunCostModel().EventsWithin(Budget));
    }

    [Fact]
    public void A_tenant_stuck_at_runs_of_one_by_a_costly_fixed_part_grows_its_runs_to_the_budget()
    {
        // 34 ms for a run of one, nearly all of it the run's own (a transaction, a downstream call): the
        // per-event average says one event fits a 50 ms run; in truth 50 / 0.4 = 125 do (the batch size caps them).
        var sizes = Drive(firstRunMs: 34, runMs: n => 33.6 + 0.4 * n);

        Assert.Equal(2, sizes[0]);
        Assert.Equal(100, sizes[^1]);
        Assert.All(sizes.Zip(sizes.Skip(1)), pair => Assert.True(pair.Second >= pair.First, $"runs shrank: {string.Join(", ", sizes)}"));
    }

    [Fact]
    public void A_run_whose_fixed_part_alone_passes_the_budget_still_takes_what_the_budget_buys()
    {
        // A busy machine: every transaction waits for a core, so a run of any size pays 80 ms before its
        // events' 2 ms each. Counting that wait against the budget would keep runs at one and pay it per event.
        var sizes = Drive(firstRunMs: 82, runMs: n => 80 + 2 * n);

        Assert.InRange(sizes[^1], 24, 25);
        Assert.All(sizes.Skip(10), n => Assert.True(n > 1, $"run sizes: {string.Join(", ", sizes)}"));
    }

    [Fact]
    public void A_tenant_whose_events_each_cost_more_than_the_budget_keeps_runs_of_one()
    {
        // 40 ms per event and nothing fixed: after the one larger run that shows it, runs stay single.
        var sizes = Drive(firstRunMs: 40, runMs: n => 40 * n);

        Assert.True(sizes.Count(n => n > 1) <= 4, $"run sizes: {string.Join(", ", sizes)}");
        Assert.All(sizes.Skip(20), n => Assert.Equal(1, n));
    }

    [Fact]
    public void The_shares_of_one_run_add_up_to_one_observation()
    {
        var whole = new RunCostModel();
        var shared = new RunCostModel();
        foreach (var (n, ms) in new[] { (1, 20.0), (4, 26.0), (8, 34.0) })
        {
            whole.Observe(n, Ms(ms), 1);
            for (var i = 0; i < n; i++) shared.Observe(n, Ms(ms), 1.0 / n);
        }

        var (wholeFixed, wholePerEvent) = whole.Fit()!.Value;
        var (sharedFixed, sharedPerEvent) = shared.Fit()!.Value;
        Assert.InRange(sharedFixed / wholeFixed, 0.95, 1.05);
        Assert.InRange(sharedPerEvent / wholePerEvent, 0.95, 1.05);
    }
}
