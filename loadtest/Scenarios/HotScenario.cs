using Fairlane.LoadTest.Load;

namespace Fairlane.LoadTest.Scenarios;

/// <summary>
/// One tenant alone under an open-loop ramp from 1/30 of the peak to the peak (100/s to 3,000/s by
/// default), over 500 items: each product is reported by absolute level on one home channel (the
/// products spread over the three channels) and Sync pushes every change to the other two. Each
/// item's reports carry strictly increasing levels and sequences, so the run can check from the
/// ledger that every item's reports were applied in offset order and that its stock ends at the
/// last level (see Hot/HotVerification). The tenant may use every worker slot of a node.
/// </summary>
internal sealed class HotScenario : Scenario
{
    public const string Hot = "hot";

    /// <summary>The ramp starts at this fraction of its peak (--rate).</summary>
    public const double RampStartFraction = 1.0 / 30;

    public override string Name => "hot";
    public override string Summary =>
        "1 tenant alone, open-loop ramp from 1/30 of --rate to --rate (default 100/s to 3,000/s) over 500 items, per-item order and final stock verified";

    public override ScenarioSettings Defaults => Common with { Tenants = 1, Rate = 3_000, Products = 500, DrainTimeout = TimeSpan.FromSeconds(180) };

    public override LoadPlan Plan(ScenarioSettings s)
    {
        // --tenants is ignored: the scenario is about one tenant carrying the whole load.
        var tenant = new TenantSetup("hot-001", Hot, Concurrency: s.HotConcurrency ?? s.EngineWorkers);
        var ramp = new RateSchedule.Ramp(s.Rate * RampStartFraction, s.Rate, s.Duration.TotalSeconds);
        return new LoadPlan([tenant], [new LoadPhase("ramp", s.Duration.TotalSeconds, [new TenantLoad(tenant.Tenant, ramp)])], s.Products);
    }
}
