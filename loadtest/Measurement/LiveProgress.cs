using System.Diagnostics;
using Fairlane.LoadTest.Load;
using Fairlane.LoadTest.Stack;
using Npgsql;

namespace Fairlane.LoadTest.Measurement;

/// <summary>
/// Once a second: what has been sent (and at what rate), and for each system what its ledger says is
/// done, still pending, parked, and the p99 of the last 5 s; also samples the workers' memory. The
/// last samples tell the drain when both systems are done.
/// </summary>
internal sealed class LiveProgress(SentLog sent, LiveProbe fairlane, LiveProbe? baseline, WorkerFleet fleet, PeakMemory memory)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastSent;

    public string Stage { get; set; } = "";
    public LiveSample Fairlane { get; private set; }
    public LiveSample? Baseline { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await SampleAsync(cancellationToken);
                Print();
            }
            catch (NpgsqlException ex)
            {
                // A busy or briefly unreachable server costs a progress line, not the run; the drain
                // and the report read the ledgers again.
                Console.WriteLine($"[{_clock.Elapsed.TotalSeconds,4:0}s {Stage,-10}] (ledger not readable this second: {ex.Message})");
            }
        }
    }

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        fleet.SampleMemory(memory);
        memory.Sample("harness", Environment.ProcessId);
        Fairlane = await fairlane.SampleAsync(cancellationToken);
        if (baseline is not null) Baseline = await baseline.SampleAsync(cancellationToken);
    }

    private void Print()
    {
        var count = sent.Count;
        var rate = count - _lastSent;
        _lastSent = count;
        var line = $"[{_clock.Elapsed.TotalSeconds,4:0}s {Stage,-10}] sent {count,8:N0} ({rate,5}/s) | fairlane {Describe(Fairlane, count)}, parked {Fairlane.Parked:N0}";
        if (Baseline is { } b) line += $" | baseline {Describe(b, count)}";
        var rss = string.Join("/", fleet.Workers.Select(w => PeakMemory.ResidentBytes(w.Process.Id) is { } bytes ? $"{bytes / 1048576}" : "-"));
        Console.WriteLine($"{line} | rss {rss} MiB");
    }

    private static string Describe(LiveSample s, long sent) =>
        $"done {s.Processed,8:N0} pending {Math.Max(0, sent - s.Processed),7:N0} p99(5s) {(s.RecentP99Ms is { } p ? $"{p,6:0} ms" : "     - ms")}";
}
