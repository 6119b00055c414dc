using System.Globalization;
using Fairlane.LoadTest.Measurement;
using Fairlane.LoadTest.Scenarios;

namespace Fairlane.LoadTest.Reporting;

/// <summary>One claim checked against the run: what it is, whether it held, and the figure behind it.</summary>
internal sealed record TargetCheck(string Target, bool Met, string Measured);

/// <summary>
/// The claims a run must uphold (`--check` turns a miss into a non-zero exit): nothing lost or
/// applied twice by Fairlane, each scenario's latency target for its tenant classes, and the
/// Guardian's 10 s for 120,000 checks. The baseline is measured, never checked.
/// </summary>
internal static class TargetChecks
{
    public static List<TargetCheck> Evaluate(RunOutcome run)
    {
        var checks = new List<TargetCheck>();
        var s = run.Settings;
        if (run.Fairlane is { } f)
        {
            checks.Add(new TargetCheck("every webhook processed (none lost)", f.Drained && f.Lost == 0,
                f.Drained ? "0 lost" : $"{f.Phases.Sum(p => p.Unfinished)} not processed by the end of the drain"));
            checks.Add(new TargetCheck("no effect applied twice, none missing, nothing unknown processed",
                f.Duplicated == 0 && f.MissingEffects == 0 && f.UnknownProcessed == 0,
                $"{f.Duplicated} duplicated, {f.MissingEffects} missing, {f.UnknownProcessed} unknown"));
            checks.AddRange(LatencyChecks(run.Scenario, f, s.TargetP99Ms));
        }
        if (run.Hot is { } hot) checks.AddRange(HotReport.Checks(hot));
        if (run.Guardian is { } g)
        {
            checks.Add(new TargetCheck("Guardian run completed", g.Status == "completed", $"{g.Status} (HTTP {g.HttpStatus})"));
            checks.Add(new TargetCheck($"Guardian checked every item ({g.ExpectedChecks:N0})", g.Checks == g.ExpectedChecks, $"{g.Checks:N0} checks"));
            checks.Add(new TargetCheck($"Guardian wall time ≤ {s.TargetGuardianSeconds:0.#} s", g.WallSeconds <= s.TargetGuardianSeconds,
                string.Create(CultureInfo.InvariantCulture, $"{g.WallSeconds:0.00} s")));
        }
        return checks;
    }

    private static IEnumerable<TargetCheck> LatencyChecks(Scenario scenario, SystemResult fairlane, double targetMs)
    {
        if (scenario.LatencyTargetClasses.Count == 0) yield break;
        var phases = scenario.TargetPhase is { } name ? fairlane.Phases.Where(p => p.Phase == name) : fairlane.Phases;
        foreach (var phase in phases)
        {
            // The classes the target covers, as one population (e.g. every quiet tenant under noisy load).
            var latency = phase.Latency([.. scenario.LatencyTargetClasses]);
            if (latency.Count == 0) continue;
            yield return new TargetCheck(
                $"p99 of tenant class{(scenario.LatencyTargetClasses.Count > 1 ? "es" : "")} {string.Join(" + ", scenario.LatencyTargetClasses)} in phase {phase.Phase} ≤ {targetMs:0} ms",
                latency.P99 <= targetMs, string.Create(CultureInfo.InvariantCulture, $"{latency.P99:0} ms{(phase.Censored ? " (at least)" : "")}"));
        }
    }
}
