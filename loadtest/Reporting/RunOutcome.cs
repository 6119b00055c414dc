using Fairlane.LoadTest.Hot;
using Fairlane.LoadTest.Measurement;
using Fairlane.LoadTest.Scenarios;

namespace Fairlane.LoadTest.Reporting;

/// <summary>Everything a run produced, for the report and the target checks.</summary>
internal sealed record RunOutcome(
    Scenario Scenario,
    ScenarioSettings Settings,
    string CommandLine,
    string Machine,
    string Kafka,
    DateTimeOffset StartedAt,
    IReadOnlyList<SystemResult> Systems,
    GuardianResult? Guardian,
    IReadOnlyDictionary<string, long> PeakRssBytes,
    long BaselinePeakBuffered,
    long BaselineFailed,
    long SendFailures)
{
    /// <summary>The fleet's processing cost per agent at the end of the run.</summary>
    public IReadOnlyList<AgentCost> AgentCosts { get; init; } = [];

    /// <summary>The `hot` scenario's rates by window, order and stock findings; null for the others.</summary>
    public HotFindings? Hot { get; init; }

    public SystemResult? Fairlane => Systems.FirstOrDefault(s => s.System == "fairlane");
    public SystemResult? Baseline => Systems.FirstOrDefault(s => s.System == "baseline");
}
