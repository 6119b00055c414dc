namespace Fairlane.LoadTest.Scenarios;

/// <summary>
/// A named load shape with defaults that reproduce the claim it proves; every default can be
/// overridden on the command line. <see cref="Plan"/> is pure, so it is unit-testable.
/// </summary>
internal abstract class Scenario
{
    public abstract string Name { get; }
    public abstract string Summary { get; }
    public abstract ScenarioSettings Defaults { get; }
    public abstract LoadPlan Plan(ScenarioSettings settings);

    /// <summary>Whether the scenario measures webhook traffic (all but `guardian`, which times one reconciliation run).</summary>
    public virtual bool SendsWebhooks => true;

    /// <summary>The tenant classes whose p99 must stay under the latency target; empty: no latency target.</summary>
    public virtual IReadOnlyList<string> LatencyTargetClasses => [];

    /// <summary>The phase whose latency the targets apply to; null: every phase.</summary>
    public virtual string? TargetPhase => null;

    /// <summary>Base settings shared by the scenarios, which override what they need.</summary>
    protected static ScenarioSettings Common => new()
    {
        Tenants = 30,
        Rate = 10,
        Duration = TimeSpan.FromSeconds(60),
        Workers = 2,
        EngineWorkers = 8,
        HandlerDelayMs = 0,
        SimulatorLatencyMs = 5,
        Products = 20,
        Partitions = 24,
        Baseline = false,
        DrainTimeout = TimeSpan.FromSeconds(120),
    };

    /// <summary>The initial credit of tenant <paramref name="index"/>'s pacer: spreads equal-rate tenants over the first second.</summary>
    protected static double Stagger(int index, int seed) => new Random(Load.StableSeed.Of(seed, index)).NextDouble();
}
