using System.Globalization;
using System.Text;

namespace Fairlane.LoadTest.Chaos;

/// <summary>The chaos run's markdown: the checks, the dead letters per reason, and the faults as they happened.</summary>
internal static class ChaosReport
{
    public static string Render(RunRequest request, ChaosVerdict v, IReadOnlyList<FaultDone> faults, ChaosSender sender, DateTimeOffset startedAt, string machine)
    {
        var s = request.Settings;
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"# chaos — {(v.Passed ? "PASSED" : "FAILED")}");
        md.AppendLine();
        Line($"`{request.CommandLine}` — {startedAt:yyyy-MM-dd HH:mm} UTC; {machine}");
        md.AppendLine();
        Line($"{s.Tenants} tenants × {s.Products} products, {s.Rate:0.#} reports/s for {s.Duration.TotalSeconds:0} s on {s.Workers} workers ({s.Partitions} partitions); Guardian cron `{ChaosRun.GuardianCron}`.");
        Line($"Sent {v.Acknowledged:N0} acknowledged reports ({v.Deltas:N0} deltas without sequence, {v.Levels:N0} absolute levels with sequence) and {sender.Poison.Count} poison records.");
        md.AppendLine();
        md.AppendLine("| check | result | measured |");
        md.AppendLine("|---|---|---|");
        foreach (var (check, passed, measured) in v.Checks) Line($"| {check} | {(passed ? "ok" : "**FAILED**")} | {measured} |");
        Line($"| (levels skipped as stale: only after reordering) | — | {v.StaleLevels} |");
        md.AppendLine();
        md.AppendLine("| dead-letter reason | sent | dead-lettered | missing | wrong reason | duplicate letters |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var l in v.Dlq.Lines) Line($"| {l.Reason} | {l.Sent} | {l.DeadLettered} | {l.Missing} | {l.WrongReason} | {l.Duplicates} |");
        if (v.Dlq.Unexpected.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Unexpected dead letters (not a poison record sent):");
            foreach (var u in v.Dlq.Unexpected.Take(20)) Line($"- {u.Origin.Topic}/{u.Origin.Partition}@{u.Origin.Offset}: {u.Reason}");
        }
        if (v.StockMismatches.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| tenant | product | reported by | expected | actual |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var m in v.StockMismatches.Take(30)) Line($"| {m.Tenant} | {m.ProductId} | {(m.ByDelta ? "deltas" : "levels")} | {m.Expected} | {m.Actual} |");
        }
        md.AppendLine();
        md.AppendLine("| at (s) | fault | took (s) |");
        md.AppendLine("|---|---|---|");
        foreach (var f in faults) Line($"| {f.AtSeconds:0.0} | {f.What} | {f.TookSeconds:0.0} |");
        return md.ToString();
    }
}
