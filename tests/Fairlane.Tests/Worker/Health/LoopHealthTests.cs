using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Health;
using Fairlane.Worker.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Fairlane.Tests.Worker.Health;

/// <summary>
/// A consume loop that dies stops the node, but its sibling consumers first drain (up to the revoke
/// grace): meanwhile /readyz and /healthz must say the node is going, and why.
/// </summary>
public sealed class LoopHealthTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private const short Heartbeat = 12; // Kafka API key
    private const int FencedInstanceId = 82; // Kafka error code

    // Two consumers run through ServiceLoops as ConsumeLoop does; the first dies when told, the second
    // drains until released.
    private sealed class Consumers(HealthSignals signals) : BackgroundService
    {
        public readonly TaskCompletionSource Die = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            ServiceLoops.RunAsync("The test consume loop", [DiesAsync, DrainsAsync], stoppingToken, signals);

        private async Task DiesAsync(CancellationToken ct)
        {
            await Die.Task.WaitAsync(ct);
            throw new InvalidOperationException("fatal Kafka error");
        }

        private async Task DrainsAsync(CancellationToken ct)
        {
            await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            await Drained.Task;
        }
    }

    // The real node: the broker fences one of its consumers (a fatal Kafka error ends that loop), and
    // the loops check of that node names the consume loop until the node is gone.
    [Fact(Timeout = 180_000)]
    public async Task A_consumer_fenced_by_the_broker_is_reported_by_the_nodes_loops_check()
    {
        await using var stack = await new StackBuilder().Kafka(1, 1).Tenants("acme").StartAsync();
        var signals = stack.Worker.Services.GetRequiredService<HealthSignals>();
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, EventSender.StockEvent("acme", 1));
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n == 1, Deadline, "the node to consume");
        Assert.Equal(HealthStatus.Healthy, (await new LoopsHealthCheck(signals, stack.Worker.Services).CheckHealthAsync(new HealthCheckContext())).Status);

        stack.Cluster.PushRequestErrors(Heartbeat, FencedInstanceId);
        await Eventually.WaitAsync(() => signals.EndedLoops.Count > 0, Deadline, "the consume loop to report its end");

        var loops = await new LoopsHealthCheck(signals, stack.Worker.Services).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, loops.Status);
        Assert.StartsWith("The consume loop ended: a loop failed", loops.Description);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_consume_loop_that_died_makes_readiness_and_liveness_unavailable_with_the_reason()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddEngineChecks();
        builder.Services.AddSingleton(sp => new Consumers(sp.GetRequiredService<HealthSignals>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Consumers>());
        await using var app = builder.Build();
        app.MapHealthEndpoints();
        await app.StartAsync();
        var consumers = app.Services.GetRequiredService<Consumers>();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var ready = await Eventually.WaitAsync(() => ProcessTests.Get(http, "/readyz"), r => r.Status == 200, Deadline, "/readyz to answer 200");
            Assert.Equal("ready", ReadinessTests.Entry(ready.Body, "loops").Status);
            Assert.Equal((200, "ok\n"), await ProcessTests.Get(http, "/healthz"));

            consumers.Die.SetResult();
            var down = await Eventually.WaitAsync(() => ProcessTests.Get(http, "/readyz"), r => r.Status == 503, Deadline, "/readyz to answer 503");
            Assert.Equal(("unavailable", "The test consume loop ended: a loop failed (fatal Kafka error)"), ReadinessTests.Entry(down.Body, "loops"));
            Assert.Equal("ready", ReadinessTests.Entry(down.Body, "consumption").Status);
            var live = await ProcessTests.Get(http, "/healthz");
            Assert.Equal(503, live.Status);
            Assert.Contains("fatal Kafka error", live.Body);
        }
        finally
        {
            consumers.Drained.TrySetResult();
        }
        // Once drained, the fault stops the host by itself, as it does the node.
        await app.WaitForShutdownAsync(new CancellationTokenSource(Deadline).Token);
    }
}
