using System.Diagnostics;
using System.Net.Http.Headers;
using Fairlane.LoadTest.Stack;

namespace Fairlane.LoadTest.Chaos;

/// <summary>One fault as it was carried out: when (seconds into the load), what, and how long it took.</summary>
internal sealed record FaultDone(double AtSeconds, string What, double TookSeconds);

/// <summary>Carries out a <see cref="FaultSchedule"/> against the run's own stack, each step at its time.</summary>
internal sealed class FaultInjector(WorkerFleet fleet, KafkaStack kafka, PrivatePostgres postgres, PrivateRedisNodes redis,
    IReadOnlyList<string> tenants, string adminToken)
{
    public static readonly TimeSpan WorkerDownFor = TimeSpan.FromSeconds(3);

    private int _kills;

    public List<FaultDone> Done { get; } = [];

    public async Task RunAsync(IReadOnlyList<FaultStep> steps, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        foreach (var step in steps)
        {
            var wait = TimeSpan.FromSeconds(step.AtSeconds) - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
            var at = clock.Elapsed.TotalSeconds;
            var what = await ApplyAsync(step, cancellationToken);
            var done = new FaultDone(at, what, clock.Elapsed.TotalSeconds - at);
            lock (Done) Done.Add(done);
            Console.WriteLine($"  fault at {done.AtSeconds,5:0.0} s: {done.What} ({done.TookSeconds:0.0} s)");
        }
    }

    private async Task<string> ApplyAsync(FaultStep step, CancellationToken cancellationToken)
    {
        switch (step.Kind)
        {
            case FaultKind.KillWorker:
                await fleet.KillAndRestartAsync(step.Target, ++_kills, WorkerDownFor, cancellationToken);
                return $"SIGKILL {fleet.Workers[step.Target].Name}; a new process started {WorkerDownFor.TotalSeconds:0} s later";
            case FaultKind.BrokerDown:
                kafka.SetBrokerDown(step.Target, down: true);
                return $"broker {step.Target} down";
            case FaultKind.BrokerUp:
                kafka.SetBrokerDown(step.Target, down: false);
                return $"broker {step.Target} up";
            case FaultKind.RestartPostgres:
                await postgres.StopAsync(cancellationToken);
                await postgres.StartAgainAsync(cancellationToken);
                return "PostgreSQL stopped (fast) and started again";
            case FaultKind.RedisDown:
                await redis.KillAsync(step.Target);
                return $"Redis node {step.Target + 1} killed";
            case FaultKind.RedisUp:
                await redis.StartNodeAsync(step.Target, cancellationToken);
                return $"Redis node {step.Target + 1} started again (empty)";
            case FaultKind.PauseTenants:
            case FaultKind.ResumeTenants:
                var verb = step.Kind == FaultKind.PauseTenants ? "pause" : "resume";
                foreach (var tenant in tenants.Take(step.Target)) await AdminPostAsync($"/admin/tenants/{tenant}/{verb}", cancellationToken);
                return $"{verb}d {string.Join(", ", tenants.Take(step.Target))}";
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step.Kind, null);
        }
    }

    // Any live worker's admin API will do (the change reaches the others through the control topic);
    // one just restarted may not answer yet, so the next is tried, for up to 60 s.
    private async Task AdminPostAsync(string path, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var until = DateTime.UtcNow.AddSeconds(60);
        for (var attempt = 0; ; attempt++)
        {
            var worker = fleet.Workers[attempt % fleet.Workers.Count];
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{worker.AdminPort}{path}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode) return;
                if (DateTime.UtcNow > until) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}");
            }
            catch (Exception ex) when ((ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)) && DateTime.UtcNow <= until)
            {
                // not answering yet: try the next worker
            }
            await Task.Delay(500, cancellationToken);
        }
    }
}
