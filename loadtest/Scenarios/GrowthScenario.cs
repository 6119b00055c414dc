using Fairlane.LoadTest.Load;

namespace Fairlane.LoadTest.Scenarios;

/// <summary>
/// A fleet that grows: 100 tenants join one by one over the first half of the run; once joined each
/// sends 1/100 of the rate (50 webhooks/min in all), modulated by a compressed day (quarters at
/// 0.5×, 1×, 1.5×, 1×), so the total climbs, peaks and settles.
/// </summary>
internal sealed class GrowthScenario : Scenario
{
    public override string Name => "growth";
    public override string Summary => "100 tenants joining over the first half, 50 webhooks/min in all once joined, variable rate";

    public override ScenarioSettings Defaults => Common with { Tenants = 100, Rate = 50.0 / 60 };

    public override IReadOnlyList<string> LatencyTargetClasses => ["tenant"];

    public override LoadPlan Plan(ScenarioSettings s)
    {
        var seconds = s.Duration.TotalSeconds;
        RateSchedule day = new RateSchedule.Steps([(seconds / 4, 0.5), (seconds / 2, 1.0), (seconds * 3 / 4, 1.5), (double.MaxValue, 1.0)]);
        var tenants = Enumerable.Range(1, s.Tenants).Select(i => new TenantSetup($"tenant-{i:000}", "tenant")).ToList();
        var load = tenants.Select((t, i) => new TenantLoad(t.Tenant,
            new RateSchedule.JoinsAt(seconds / 2 * i / s.Tenants, new RateSchedule.Scaled(s.Rate / s.Tenants, day)), Stagger(i, s.Seed))).ToList();
        return new LoadPlan(tenants, [new LoadPhase("growth", seconds, load)], s.Products);
    }
}
