using System.Diagnostics;
using Fairlane.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace Fairlane.Tests.Worker.Tracing;

/// <summary>
/// An event that waited in the park continues its producer's trace: the park keeps the record's headers,
/// so after the tenant resumes its wait and its processing are children of the producer's span.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ParkedTraceTests
{
    private const string Tenant = "paused-shop";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 120_000)]
    public async Task A_parked_event_is_processed_in_the_trace_its_producer_sent()
    {
        await using var stack = await new StackBuilder().Kafka(1, 3).Tenants(Tenant).InProcessWorkers(0).StartAsync();
        await stack.Db.ScalarAsync<int>($"UPDATE tenants SET status = 'paused' WHERE id = '{Tenant}' RETURNING 1");
        var spans = new ExportedSpans();
        await using var node = await InProcessWorker.StartAsync(stack.SettingsFor(inProcess: true).Set("Engine:TenantRefreshMs", 200),
            tracing => tracing.AddInMemoryExporter(spans));

        var traceId = ActivityTraceId.CreateRandom();
        var producerSpan = ActivitySpanId.CreateRandom();
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, EventSender.StockEvent(Tenant, 1),
            $"00-{traceId.ToHexString()}-{producerSpan.ToHexString()}-01", "vendor=kept");
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>("SELECT count(*) FROM parked_events"), n => n == 1, Deadline, "the event parked");

        await stack.Db.ScalarAsync<int>($"UPDATE tenants SET status = 'active', updated_at = now() WHERE id = '{Tenant}' RETURNING 1");
        var trace = await Eventually.WaitAsync(() => Task.FromResult(spans.OfTrace(traceId)),
            t => t.Any(s => s.DisplayName == "park wait") && t.Any(s => s.DisplayName == "process watcher"), Deadline, "the parked event processed");

        var received = Assert.Single(trace, s => s.DisplayName == $"receive {stack.Topics.Webhooks}");
        Assert.Equal(producerSpan, received.ParentSpanId);
        Assert.NotNull(received.GetTagItem("fairlane.parked"));
        Assert.Equal(producerSpan, Assert.Single(trace, s => s.DisplayName == "park wait").ParentSpanId);
        var processed = Assert.Single(trace, s => s.DisplayName == "process watcher");
        Assert.Equal(producerSpan, processed.ParentSpanId);
        Assert.Equal("vendor=kept", processed.TraceStateString);
    }
}
