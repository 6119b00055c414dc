using Fairlane.LoadTest.Load;

namespace Fairlane.LoadTest.Scenarios;

/// <summary>
/// A fleet shaped like real SaaS tenants: 1,000 tenants whose rates follow Zipf's law (the k-th
/// largest sends ∝ 1/k^s). Reported by class: head (the 10 largest), torso (11–100), tail (the rest).
/// Every tenant is strictly ordered (concurrency 1) unless --hot-concurrency raises the head's.
/// </summary>
internal sealed class ZipfScenario : Scenario
{
    public override string Name => "zipf";
    public override string Summary => "1,000 tenants with Zipf-distributed rates (s = 1), 100/s in all";

    public override ScenarioSettings Defaults => Common with { Tenants = 1_000, Rate = 100, Products = 10, HandlerDelayMs = 5, Baseline = true };

    public override IReadOnlyList<string> LatencyTargetClasses => ["head", "torso", "tail"];

    public override LoadPlan Plan(ScenarioSettings s)
    {
        var rates = ZipfRates.Of(s.Tenants, s.Rate, s.ZipfExponent);
        var tenants = Enumerable.Range(1, s.Tenants).Select(rank => new TenantSetup($"zipf-{rank:0000}", ClassOf(rank), rank <= 10 ? s.HotConcurrency ?? 1 : 1)).ToList();
        var load = tenants.Select((t, i) => new TenantLoad(t.Tenant, new RateSchedule.Constant(rates[i]), Stagger(i, s.Seed))).ToList();
        return new LoadPlan(tenants, [new LoadPhase("zipf", s.Duration.TotalSeconds, load)], s.Products);
    }

    public static string ClassOf(int rank) => rank <= 10 ? "head" : rank <= 100 ? "torso" : "tail";
}
