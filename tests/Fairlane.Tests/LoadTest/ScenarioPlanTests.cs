using Fairlane.LoadTest.Scenarios;
using Fairlane.Partitioning.Placement;

namespace Fairlane.Tests.LoadTest;

public sealed class ScenarioPlanTests
{
    [Fact]
    public void Steady_offers_thirty_tenants_twenty_webhooks_a_minute_each()
    {
        var scenario = new SteadyScenario();
        var plan = scenario.Plan(scenario.Defaults);
        var phase = Assert.Single(plan.Phases);
        Assert.Equal(30, phase.Load.Count);
        Assert.All(phase.Load, l => Assert.Equal(20.0 / 60, l.Schedule.RateAt(0), 9));
        Assert.Equal(600, phase.OfferedEvents, 6);
    }

    [Fact]
    public void Noisy_sends_a_hundred_times_a_quiet_tenant_and_two_quiet_tenants_share_its_partition()
    {
        var scenario = new NoisyScenario();
        var s = scenario.Defaults;
        var plan = scenario.Plan(s);
        Assert.Equal(["quiet-only", "with-noisy"], plan.Phases.Select(p => p.Name));
        Assert.DoesNotContain(plan.Phases[0].Load, l => plan.ClassOf(l.Tenant) == NoisyScenario.Noisy);

        var with = plan.Phases[1].Load.ToDictionary(l => l.Tenant, l => l.Schedule.RateAt(0));
        Assert.Equal(s.Rate, with.Values.Sum(), 9);
        Assert.Equal(100 * with["quiet-001"], with["noisy-001"], 9);

        var noisyPartition = TenantPlacement.PartitionFor("noisy-001", s.Partitions);
        var sharing = plan.Tenants.Where(t => t.Class == NoisyScenario.QuietSharing).ToList();
        Assert.Equal(2, sharing.Count);
        Assert.All(sharing, t => Assert.Equal(noisyPartition, TenantPlacement.PartitionFor(t.Tenant, s.Partitions)));
        Assert.All(plan.Tenants.Where(t => t.Class == NoisyScenario.Quiet),
            t => Assert.NotEqual(noisyPartition, TenantPlacement.PartitionFor(t.Tenant, s.Partitions)));
        Assert.Equal(s.EngineWorkers, plan.Tenants.Single(t => t.Class == NoisyScenario.Noisy).Concurrency);
    }

    [Fact]
    public void Zipf_classes_are_the_ten_largest_the_next_ninety_and_the_tail()
    {
        var scenario = new ZipfScenario();
        var plan = scenario.Plan(scenario.Defaults);
        Assert.Equal(1_000, plan.Tenants.Count);
        Assert.Equal(10, plan.Tenants.Count(t => t.Class == "head"));
        Assert.Equal(90, plan.Tenants.Count(t => t.Class == "torso"));
        Assert.Equal(900, plan.Tenants.Count(t => t.Class == "tail"));
    }

    [Fact]
    public void Growth_averages_fifty_webhooks_a_minute_once_every_tenant_has_joined()
    {
        var scenario = new GrowthScenario();
        var plan = scenario.Plan(scenario.Defaults);
        var load = plan.Phases[0].Load;
        Assert.Equal(50.0 / 60, load.Sum(l => l.Schedule.RateAt(59)), 9); // last quarter: 1×, all joined
        Assert.True(load.Sum(l => l.Schedule.RateAt(1)) < load.Sum(l => l.Schedule.RateAt(40)));
    }

    [Fact]
    public void The_guardian_scenario_asks_for_120000_checks()
    {
        var scenario = new GuardianScenario();
        Assert.Equal(120_000, GuardianScenario.ExpectedChecks(scenario.Defaults));
        Assert.Empty(scenario.Plan(scenario.Defaults).Phases);
    }
}
