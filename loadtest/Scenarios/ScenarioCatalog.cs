namespace Fairlane.LoadTest.Scenarios;

/// <summary>Every scenario, in the order `--help` lists them.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } =
        [new SteadyScenario(), new GrowthScenario(), new NoisyScenario(), new ZipfScenario(), new MaxScenario(), new HotScenario(), new GuardianScenario(), new ChaosScenario()];
}
