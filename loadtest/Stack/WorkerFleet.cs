using System.Diagnostics;
using Fairlane.Contracts;
using Fairlane.LoadTest.Measurement;
using Fairlane.LoadTest.Scenarios;

namespace Fairlane.LoadTest.Stack;

/// <summary>One worker of the fleet: its process and its ports.</summary>
internal sealed record FleetWorker(string Name, FairlaneProcess Process, int MetricsPort, int AdminPort)
{
    public MetricsPage Metrics { get; } = new(MetricsPort);
}

/// <summary>
/// N `fairlane run` processes forming one fleet: same topics, consumer groups, database and Redis
/// prefix, each with its own metrics and admin ports. Started by the harness, stopped by it.
/// </summary>
internal sealed class WorkerFleet : IAsyncDisposable
{
    private readonly List<FleetWorker> _workers;
    private readonly List<Dictionary<string, string>> _environments;
    private readonly string _logDirectory;
    private readonly List<FairlaneProcess> _killed = [];

    private WorkerFleet(List<FleetWorker> workers, List<Dictionary<string, string>> environments, string logDirectory) =>
        (_workers, _environments, _logDirectory) = (workers, environments, logDirectory);

    public IReadOnlyList<FleetWorker> Workers => _workers;

    /// <param name="overrides">Further FAIRLANE__ settings of every worker, over the scenario's.</param>
    public static WorkerFleet Start(RunIdentity run, RunDatabase db, LocalServers servers, string bootstrapServers, ScenarioSettings s, string logDirectory,
        IReadOnlyDictionary<string, string>? overrides = null)
    {
        var workers = new List<FleetWorker>();
        var environments = new List<Dictionary<string, string>>();
        for (var i = 0; i < s.Workers; i++)
        {
            var (metrics, admin) = (FreePort.Next(), FreePort.Next());
            var environment = WorkerSettings.For(run, db, servers, bootstrapServers, s, i, metrics, admin);
            foreach (var (k, v) in overrides ?? new Dictionary<string, string>()) environment[k] = v;
            environments.Add(environment);
            var name = $"worker-{i + 1}";
            workers.Add(new FleetWorker(name, FairlaneProcess.Start(["run"], environment, Path.Combine(logDirectory, $"{name}.log")), metrics, admin));
        }
        return new WorkerFleet(workers, environments, logDirectory);
    }

    /// <summary>
    /// SIGKILLs worker <paramref name="index"/> (no shutdown hooks, no offset commits, as a crash or
    /// the OOM killer ends it) and starts it again after <paramref name="downFor"/> with the same settings and ports, logging to a new file.
    /// </summary>
    public async Task KillAndRestartAsync(int index, int restart, TimeSpan downFor, CancellationToken cancellationToken)
    {
        var old = _workers[index];
        await old.Process.KillAsync();
        await Task.Delay(downFor, cancellationToken);
        // Disposed with the fleet either way: as a worker if the wait is cancelled, else as killed.
        _killed.Add(old.Process);
        old.Metrics.Dispose();
        var log = Path.Combine(_logDirectory, $"{old.Name}.restart-{restart}.log");
        _workers[index] = new FleetWorker(old.Name, FairlaneProcess.Start(["run"], _environments[index], log), old.MetricsPort, old.AdminPort);
    }

    /// <summary>
    /// Waits until every worker is ready and the fleet owns every partition of the webhooks and sync
    /// topics, each worker some of the webhooks ones: only then does the load start, so no rebalance
    /// lands in the measurement. (A second member of a cooperative-sticky group on the embedded
    /// cluster gets its share after two rebalance rounds, 5–10 s.)
    /// </summary>
    public async Task WaitUntilBalancedAsync(Topics topics, int partitions, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var exited = Workers.FirstOrDefault(w => w.Process.HasExited);
            if (exited is not null) throw new InvalidOperationException($"{exited.Name} exited while starting; see its log in the results folder.");
            var webhooks = new List<double>();
            var sync = 0d;
            foreach (var w in Workers)
            {
                webhooks.Add(await w.Metrics.ReadAsync($"fairlane_assigned_partitions{{topic=\"{topics.Webhooks}\"}}", cancellationToken) ?? 0);
                sync += await w.Metrics.ReadAsync($"fairlane_assigned_partitions{{topic=\"{topics.Sync}\"}}", cancellationToken) ?? 0;
            }
            var everyWorkerHasSome = Workers.Count > partitions || webhooks.All(n => n > 0);
            if (webhooks.Sum() == partitions && sync == partitions && everyWorkerHasSome) return;
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException(
                    $"The fleet did not take every partition within {deadline.TotalSeconds:0} s (webhooks: {string.Join("+", webhooks)} of {partitions}, sync: {sync}).");
            }
            await Task.Delay(500, cancellationToken);
        }
    }

    public void SampleMemory(PeakMemory memory)
    {
        foreach (var w in Workers) memory.Sample(w.Name, w.Process.Id);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Workers.Select(w => w.Process.StopAsync(TimeSpan.FromSeconds(15))));
        foreach (var w in Workers)
        {
            w.Metrics.Dispose();
            await w.Process.DisposeAsync();
        }
        foreach (var p in _killed) await p.DisposeAsync();
    }
}
