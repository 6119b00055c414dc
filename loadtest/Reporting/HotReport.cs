using System.Globalization;
using System.Text;
using Fairlane.LoadTest.Hot;
using Fairlane.LoadTest.Measurement;

namespace Fairlane.LoadTest.Reporting;

/// <summary>The `hot` run's own section of report.md, and its claims for --check.</summary>
internal static class HotReport
{
    public static IEnumerable<TargetCheck> Checks(HotFindings hot)
    {
        yield return new TargetCheck("every item's reports applied in offset order", hot.Order.Violations == 0,
            $"{hot.Order.Violations} violations over {hot.Order.Reports:N0} reports of {hot.Order.Items} items");
        yield return new TargetCheck("every product's stock equals the model (its item's last level)", hot.StockMismatches.Count == 0,
            $"{hot.Products - hot.StockMismatches.Count}/{hot.Products} products at the modelled stock");
    }

    public static void Write(StringBuilder md, RunOutcome run, HotFindings hot)
    {
        var fairlane = run.Fairlane;
        LatencySummary? latency = fairlane is { Phases.Count: > 0 } ? fairlane.Phases[0].Latency() : null;
        var order = hot.Order;
        md.AppendLine("## Hot tenant");
        md.AppendLine();
        md.AppendLine(Invariant($"- {hot.ReportsSent:N0} reports sent (warm-up included) over {hot.Products} items, each product on its home channel; Sync pushes every change to the other two."));
        if (fairlane is not null)
        {
            md.AppendLine(Invariant($"- End-to-end latency of the ramp's events: p50 {latency?.P50:0} ms, p99 {(fairlane.Drained ? "" : "≥")}{latency?.P99:0} ms; lost {fairlane.Lost:N0}, doubled {fairlane.Duplicated:N0}."));
        }
        md.AppendLine(hot.BestSustained30s is { } best
            ? Invariant($"- Best sustained {HotFindings.SustainedSeconds} s processed rate: {best:N0}/s.")
            : $"- Best sustained {HotFindings.SustainedSeconds} s processed rate: — (the run was shorter than {HotFindings.SustainedSeconds} s).");
        md.AppendLine(Invariant($"- Order: {order.Violations} violations over {order.Reports:N0} processed reports of {order.Items} items ({order.LogOutOfOrder} out of order in the log, {order.Skipped} skipped as stale, {order.AppliedOutOfOrder} applied out of offset order; the application order is the order of the effects' sync_events ids, drawn under the item's row lock)."));
        foreach (var example in order.Examples) md.AppendLine($"  - {example}");
        md.AppendLine(Invariant($"- Stock: {hot.Products - hot.StockMismatches.Count}/{hot.Products} products at the modelled stock (the last level sent for the item)."));
        foreach (var m in hot.StockMismatches.Take(5)) md.AppendLine(Invariant($"  - {m.Tenant}/{m.ProductId}: expected {m.Expected}, found {m.Actual}"));
        var workers = run.PeakRssBytes.Where(p => p.Key != "harness").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Invariant($"{p.Key} {p.Value / 1024.0 / 1024.0:0} MiB"));
        md.AppendLine($"- Peak RSS per worker: {string.Join(", ", workers)}.");
        md.AppendLine();
        md.AppendLine($"| seconds | offered/s | processed/s |");
        md.AppendLine("|---|---|---|");
        foreach (var w in hot.Windows) md.AppendLine(Invariant($"| {w.FromSecond}–{w.ToSecond} | {w.Offered:0.#} | {w.Processed:0.#} |"));
        md.AppendLine();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
