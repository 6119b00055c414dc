using System.Text.Json;
using Fairlane.Tests.Infrastructure;
using Npgsql;

namespace Fairlane.Tests.Worker.Health;

/// <summary>/readyz of a real node turns 503 when a dependency goes away, says which, and 200 when it is back.</summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 180_000)]
    public async Task Readiness_turns_unavailable_while_PostgreSQL_is_unreachable_and_ready_again_after()
    {
        await using var stack = await new StackBuilder().Kafka(1, 2).Database().InProcessWorkers(0).StartAsync();
        using var proxy = CuttableProxy.Start(TestServers.PostgresPort);
        // Only the application pool goes through the proxy: it is what every event and the check use.
        var app = new NpgsqlConnectionStringBuilder(stack.Db.AppConnectionString) { Port = proxy.Port }.ConnectionString;
        var worker = await stack.StartWorkerAsync(s => s.Set("Postgres:ConnectionString", app));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{worker.MetricsPort}"), Timeout = TimeSpan.FromSeconds(10) };

        var ready = await Eventually.WaitAsync(() => ProcessTests.Get(http, "/readyz"), r => r.Status == 200, Deadline, "/readyz to answer 200");
        Assert.Equal("ready", Entry(ready.Body, "postgres").Status);

        proxy.Cut();
        var down = await Eventually.WaitAsync(() => ProcessTests.Get(http, "/readyz"), r => r.Status == 503, Deadline, "/readyz to answer 503");
        Assert.Equal("unavailable", Entry(down.Body, "postgres").Status);
        Assert.Equal("ready", Entry(down.Body, "redis").Status);
        Assert.Equal("ready", Entry(down.Body, "kafka").Status);
        Assert.Equal(200, (await ProcessTests.Get(http, "/healthz")).Status); // a restart would not bring PostgreSQL back

        proxy.Restore();
        var back = await Eventually.WaitAsync(() => ProcessTests.Get(http, "/readyz"), r => r.Status == 200, Deadline, "/readyz to answer 200 again");
        Assert.Equal("ready", Entry(back.Body, "postgres").Status);
    }

    [Fact(Timeout = 240_000)]
    public async Task Readiness_says_consumption_is_paused_and_commits_stand_still_while_work_is_stuck_and_recovers()
    {
        await using var stack = await new StackBuilder().Kafka(1, 2).Database().InProcessWorkers(0).StartAsync();
        await stack.Db.RegisterTenantsAsync(EventSender.Tenants(4));
        using var proxy = CuttableProxy.Start(TestServers.PostgresPort);
        var app = new NpgsqlConnectionStringBuilder(stack.Db.AppConnectionString) { Port = proxy.Port }.ConnectionString;
        var worker = await stack.StartWorkerAsync(s => s
            .Set("Postgres:ConnectionString", app)
            .Set("Engine:BufferHighWatermark", 100).Set("Engine:BufferLowWatermark", 50)
            .Set("Engine:MaxAttempts", 1000).Set("Engine:RetryMaxMs", 500) // retried, not dead-lettered, while stuck
            .Set("Health:MaxPausedSeconds", 1).Set("Health:MaxCommitAgeSeconds", 1));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{worker.MetricsPort}"), Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.WaitAsync(() => ProcessTests.Get(http, "/readyz"), r => r.Status == 200, Deadline, "/readyz to answer 200");

        // No event can commit while PostgreSQL is away: 300 fill the 100-event buffer and wait behind their offsets.
        proxy.Cut();
        await EventSender.SendAsync(stack.Producer, stack.Topics.Webhooks, count: 300, tenants: 4);
        var stuck = await Eventually.WaitAsync(() => ProcessTests.Get(http, "/readyz"),
            r => r.Status == 503 && IsUnavailable(r.Body, "consumption") && IsUnavailable(r.Body, "commits"), Deadline,
            "/readyz to report consumption paused and commits standing still");
        Assert.Contains("longer than Health:MaxPausedSeconds (1)", Entry(stuck.Body, "consumption").Detail);
        Assert.StartsWith(stack.Topics.Webhooks + "/", Entry(stuck.Body, "commits").Detail);

        proxy.Restore();
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n == 300, Deadline, "the 300 events processed");
        var back = await Eventually.WaitAsync(() => ProcessTests.Get(http, "/readyz"), r => r.Status == 200, Deadline, "/readyz to answer 200 again");
        Assert.Equal("ready", Entry(back.Body, "commits").Status);
    }

    private static bool IsUnavailable(string body, string check) => body.StartsWith('{') && Entry(body, check).Status == "unavailable";

    internal static (string Status, string Detail) Entry(string body, string check)
    {
        using var json = JsonDocument.Parse(body);
        var entry = json.RootElement.GetProperty(check);
        return (entry.GetProperty("status").GetString()!, entry.GetProperty("detail").GetString()!);
    }
}
