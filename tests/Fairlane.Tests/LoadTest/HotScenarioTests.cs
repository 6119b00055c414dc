using System.Text.Json;
using Fairlane.Contracts.Events;
using Fairlane.LoadTest.Hot;
using Fairlane.LoadTest.Scenarios;

namespace Fairlane.Tests.LoadTest;

public sealed class HotScenarioTests
{
    [Fact]
    public void Hot_ramps_one_tenant_from_a_hundred_to_three_thousand_a_second_over_five_hundred_items()
    {
        var scenario = new HotScenario();
        var s = scenario.Defaults;
        var plan = scenario.Plan(s);
        var tenant = Assert.Single(plan.Tenants);
        Assert.Equal(s.EngineWorkers, tenant.Concurrency);
        Assert.Equal(500, plan.ProductsPerTenant);
        var load = Assert.Single(Assert.Single(plan.Phases).Load);
        Assert.Equal(100, load.Schedule.RateAt(0), 9);
        Assert.Equal(1_550, load.Schedule.RateAt(30), 9);
        Assert.Equal(3_000, load.Schedule.RateAt(60), 9);
        Assert.Equal((100 + 3_000) / 2.0 * 60, plan.Phases[0].OfferedEvents, 3);
    }

    [Fact]
    public void Rate_and_duration_reshape_the_ramp()
    {
        var scenario = new HotScenario();
        var plan = scenario.Plan(scenario.Defaults with { Rate = 60, Duration = TimeSpan.FromSeconds(20), HotConcurrency = 2 });
        var schedule = plan.Phases[0].Load[0].Schedule;
        Assert.Equal(2, schedule.RateAt(0), 9);
        Assert.Equal(60, schedule.RateAt(20), 9);
        Assert.Equal(620, plan.Phases[0].OfferedEvents, 3);
        Assert.Equal(2, plan.Tenants[0].Concurrency);
    }

    [Fact]
    public void Each_item_is_reported_on_its_home_channel_with_strictly_rising_levels_and_sequences()
    {
        var traffic = new ItemLevelTraffic(products: 7, seed: 1);
        var stream = traffic.StreamFor("hot-001");
        var changes = Enumerable.Range(0, 300).Select(_ => stream.Next("ramp"))
            .Select(e => e.Payload.Deserialize(FairlaneJsonContext.Default.StockChanged)!).ToList();

        foreach (var item in changes.GroupBy(c => c.ExternalId))
        {
            Assert.Single(item.Select(c => c.ChannelId).Distinct());
            Assert.Equal(Enumerable.Range(1, item.Count()).Select(i => (long)i), item.Select(c => c.Sequence!.Value));
            Assert.Equal(item.Select(c => 100 + (int)c.Sequence!.Value), item.Select(c => c.Quantity!.Value));
        }
        Assert.Equal(3, changes.Select(c => c.ChannelId).Distinct().Count());
        Assert.Equal(300, traffic.Reports.Count);
    }

    [Fact]
    public void Reports_applied_in_offset_order_pass()
    {
        var findings = ItemOrderCheck.Check(
        [
            new("t/p-0000", "e1", 1, 0, 10, 5), new("t/p-0001", "e2", 1, 0, 11, 6),
            new("t/p-0000", "e3", 2, 0, 12, 9), new("t/p-0000", "e4", 3, 0, 13, 12),
        ]);
        Assert.Equal(0, findings.Violations);
        Assert.Equal(2, findings.Items);
        Assert.Equal(4, findings.Reports);
    }

    [Fact]
    public void An_item_applied_out_of_offset_order_is_a_violation()
    {
        // Offset 12's effect was written before offset 11's.
        var findings = ItemOrderCheck.Check([new("t/p-0000", "e1", 1, 0, 10, 1), new("t/p-0000", "e2", 2, 0, 11, 3), new("t/p-0000", "e3", 3, 0, 12, 2)]);
        Assert.Equal(1, findings.AppliedOutOfOrder);
        Assert.Equal(1, findings.Violations);
        Assert.Contains("offset 11 applied after offset 12", Assert.Single(findings.Examples));
    }

    [Fact]
    public void A_report_skipped_as_stale_is_a_violation()
    {
        // Offset 12 was applied first, so the Watcher found offset 11 stale and left no effect.
        var findings = ItemOrderCheck.Check([new("t/p-0000", "e1", 1, 0, 10, 1), new("t/p-0000", "e2", 2, 0, 11, null), new("t/p-0000", "e3", 3, 0, 12, 2)]);
        Assert.Equal(1, findings.Skipped);
        Assert.Equal(1, findings.Violations);
    }

    [Fact]
    public void Sequences_out_of_order_in_the_log_are_a_violation()
    {
        var findings = ItemOrderCheck.Check([new("t/p-0000", "e2", 2, 0, 10, 1), new("t/p-0000", "e1", 1, 0, 11, 2)]);
        Assert.Equal(1, findings.LogOutOfOrder);
        Assert.True(findings.Violations > 0);
    }

    [Fact]
    public void Windows_average_each_five_seconds_and_the_best_thirty_seconds_slide()
    {
        int[] sent = [.. Enumerable.Repeat(10, 40)];
        int[] processed = [.. Enumerable.Range(0, 40)];
        var windows = ThroughputWindows.Of(sent, processed, 5);
        Assert.Equal(8, windows.Count);
        Assert.Equal(new RateWindow(0, 5, 10, 2), windows[0]);
        Assert.Equal(new RateWindow(35, 40, 10, 37), windows[^1]);
        Assert.Equal(Enumerable.Range(10, 30).Average(), ThroughputWindows.BestSustained(processed, 30));
        Assert.Null(ThroughputWindows.BestSustained(processed[..20], 30));
    }
}
