using Fairlane.LoadTest.Measurement;
using ScottPlot;

namespace Fairlane.LoadTest.Reporting;

/// <summary>
/// PNG charts of a run: end-to-end latency per tenant class over time (p99 solid, p50 dashed; x is
/// when the events were sent), one per system, and sent vs processed events per second. Latency is
/// drawn on a log scale: a quiet tenant's 100 ms and a noisy one's minute must both be readable.
/// </summary>
internal static class LatencyCharts
{
    private const int Width = 1000;
    private const int Height = 520;

    /// <summary>Writes the charts into <paramref name="folder"/>; returns their file names.</summary>
    public static List<string> Write(string folder, string scenario, IReadOnlyList<SystemResult> systems)
    {
        var files = new List<string>();
        var classes = systems.SelectMany(s => s.Timeline.Select(p => p.Class)).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var system in systems)
        {
            var name = $"latency-{system.System}.png";
            WriteLatency(Path.Combine(folder, name), $"{scenario}: {system.System} end-to-end latency by tenant class", system, classes);
            files.Add(name);
        }
        WriteThroughput(Path.Combine(folder, "throughput.png"), $"{scenario}: webhooks sent and processed per second", systems);
        files.Add("throughput.png");
        return files;
    }

    private static void WriteLatency(string path, string title, SystemResult system, List<string> classes)
    {
        var plot = new Plot();
        for (var i = 0; i < classes.Count; i++)
        {
            var points = system.Timeline.Where(p => p.Class == classes[i] && p.Count > 0).OrderBy(p => p.Second).ToList();
            if (points.Count == 0) continue;
            var color = Colors.Category10[i % Colors.Category10.Length];
            var xs = points.Select(p => (double)p.Second).ToArray();
            var p99 = plot.Add.Scatter(xs, points.Select(p => Log(p.P99)).ToArray(), color);
            p99.LegendText = $"{classes[i]} p99";
            p99.MarkerSize = 0;
            p99.LineWidth = 2;
            var p50 = plot.Add.Scatter(xs, points.Select(p => Log(p.P50)).ToArray(), color);
            p50.LegendText = $"{classes[i]} p50";
            p50.MarkerSize = 0;
            p50.LinePattern = LinePattern.Dashed;
        }
        plot.Title(title);
        plot.XLabel("seconds since the run began (when the event was sent)");
        plot.YLabel("latency, ms (log scale)");
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.SetLimitsY(0, Math.Max(3, Log(system.Timeline.Select(p => p.P99).DefaultIfEmpty(1).Max()) + 0.2));
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    // Latencies below 1 ms are drawn at 1 ms: the log of nothing is not a number.
    private static double Log(double ms) => Math.Log10(Math.Max(1, ms));

    private static void WriteThroughput(string path, string title, IReadOnlyList<SystemResult> systems)
    {
        var plot = new Plot();
        var sent = systems[0].SentPerSecond;
        var offered = plot.Add.Scatter(Enumerable.Range(0, sent.Length).Select(i => (double)i).ToArray(), sent.Select(v => (double)v).ToArray(), Colors.Gray);
        offered.LegendText = "sent";
        offered.MarkerSize = 0;
        for (var i = 0; i < systems.Count; i++)
        {
            var done = systems[i].ProcessedPerSecond;
            var line = plot.Add.Scatter(Enumerable.Range(0, done.Length).Select(x => (double)x).ToArray(), done.Select(v => (double)v).ToArray(),
                Colors.Category10[i % Colors.Category10.Length]);
            line.LegendText = $"{systems[i].System} processed";
            line.MarkerSize = 0;
        }
        plot.Title(title);
        plot.XLabel("seconds since the run began");
        plot.YLabel("webhooks per second");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }
}
