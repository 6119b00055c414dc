using Fairlane.LoadTest.Load;

namespace Fairlane.LoadTest.Scenarios;

/// <summary>
/// Open-loop ramp to saturation: 100 tenants whose combined rate climbs linearly from 2% of the peak
/// to the peak over the run. The sender never slows down for the fleet, so past saturation the
/// backlog, and so latency, grows; the report gives the best throughput reached and the offered rate
/// at which p99 latency first passed the target.
/// </summary>
internal sealed class MaxScenario : Scenario
{
    public override string Name => "max";
    public override string Summary => "100 tenants, open-loop ramp from 2% to 100% of --rate (default 1,000/s) to find saturation";

    public override ScenarioSettings Defaults => Common with { Tenants = 100, Rate = 1_000, DrainTimeout = TimeSpan.FromSeconds(180) };

    public override LoadPlan Plan(ScenarioSettings s)
    {
        var tenants = Enumerable.Range(1, s.Tenants).Select(i => new TenantSetup($"tenant-{i:000}", "tenant")).ToList();
        var perTenant = s.Rate / s.Tenants;
        var load = tenants.Select((t, i) =>
            new TenantLoad(t.Tenant, new RateSchedule.Ramp(perTenant * 0.02, perTenant, s.Duration.TotalSeconds), Stagger(i, s.Seed))).ToList();
        return new LoadPlan(tenants, [new LoadPhase("ramp", s.Duration.TotalSeconds, load)], s.Products);
    }
}
