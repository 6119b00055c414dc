using Fairlane.LoadTest.Load;

namespace Fairlane.LoadTest.Scenarios;

/// <summary>
/// Steady mixed load (absolute levels with sequences, deltas without) over 3 workers and 50 tenants
/// for 3 minutes while the run kills workers, takes a broker down, restarts PostgreSQL, stops a Redis
/// node, pauses tenants and mixes in poison records; verified by effect (see Chaos/ChaosRun).
/// </summary>
internal sealed class ChaosScenario : Scenario
{
    public override string Name => "chaos";
    public override string Summary =>
        "50 tenants, 30 webhooks/s of levels and deltas for 180 s on 3 workers, through worker kills, a broker outage, a PostgreSQL restart, a Redis node down, paused tenants and poison records; verified by effect";

    // Its own private PostgreSQL and Redis; the Guardian on a 20 s cron throughout.
    public override ScenarioSettings Defaults => Common with
    {
        Tenants = 50, Rate = 30, Duration = TimeSpan.FromSeconds(180), Workers = 3, EngineWorkers = 4, Products = 10, Partitions = 12,
        DrainTimeout = TimeSpan.FromSeconds(240), WarmupSeconds = 0,
    };

    public override LoadPlan Plan(ScenarioSettings s)
    {
        var tenants = Enumerable.Range(1, s.Tenants).Select(i => new TenantSetup($"chaos-{i:000}", "tenant")).ToList();
        var load = tenants.Select((t, i) => new TenantLoad(t.Tenant, new RateSchedule.Constant(s.Rate / s.Tenants), Stagger(i, s.Seed))).ToList();
        return new LoadPlan(tenants, [new LoadPhase("chaos", s.Duration.TotalSeconds, load)], s.Products);
    }
}
