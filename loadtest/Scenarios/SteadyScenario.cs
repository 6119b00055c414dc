using Fairlane.LoadTest.Load;

namespace Fairlane.LoadTest.Scenarios;

/// <summary>The old design's launch target: 30 tenants × 20 webhooks a minute each (10/s in all), evenly.</summary>
internal sealed class SteadyScenario : Scenario
{
    public override string Name => "steady";
    public override string Summary => "30 tenants × 20 webhooks/min each (10/s), constant rate: the launch target";

    public override ScenarioSettings Defaults => Common with { Tenants = 30, Rate = 10, Baseline = true };

    public override IReadOnlyList<string> LatencyTargetClasses => ["tenant"];

    public override LoadPlan Plan(ScenarioSettings s)
    {
        var tenants = Enumerable.Range(1, s.Tenants).Select(i => new TenantSetup($"tenant-{i:000}", "tenant")).ToList();
        var load = tenants.Select((t, i) => new TenantLoad(t.Tenant, new RateSchedule.Constant(s.Rate / s.Tenants), Stagger(i, s.Seed))).ToList();
        return new LoadPlan(tenants, [new LoadPhase("steady", s.Duration.TotalSeconds, load)], s.Products);
    }
}
