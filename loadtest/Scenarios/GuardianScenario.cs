namespace Fairlane.LoadTest.Scenarios;

/// <summary>
/// One Guardian reconciliation over 200 tenants × 200 products × 3 channels = 120,000 checks, the
/// simulator answering each batched read in 5 ms. Started through the admin API on one worker; the
/// wall time and checks come from guardian_runs. No webhook load.
/// </summary>
internal sealed class GuardianScenario : Scenario
{
    public const int Channels = 3;

    public override string Name => "guardian";
    public override string Summary => "one Guardian run over 200 tenants × 200 products × 3 channels (120,000 checks), 5 ms per channel call";

    public override ScenarioSettings Defaults => Common with { Tenants = 200, Products = 200, SimulatorLatencyMs = 5 };

    public override bool SendsWebhooks => false;

    public override LoadPlan Plan(ScenarioSettings s)
    {
        var tenants = Enumerable.Range(1, s.Tenants).Select(i => new TenantSetup($"shop-{i:000}", "tenant")).ToList();
        return new LoadPlan(tenants, [], s.Products);
    }

    public static long ExpectedChecks(ScenarioSettings s) => (long)s.Tenants * s.Products * Channels;
}
