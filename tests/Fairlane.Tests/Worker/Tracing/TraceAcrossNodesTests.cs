using System.Diagnostics;
using Fairlane.ChannelSimulator;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using OpenTelemetry.Trace;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Worker.Tracing;

/// <summary>
/// One webhook, one trace, across two nodes: the Watcher on one, Sync on the other. The producer's span
/// is the parent of the first consume; the trace runs through the processing, then (with the topic
/// hand-off) the outbox relay's publish and the Sync request's consume and processing, to the push
/// pass, which links to what it folded, and its channel call.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TraceAcrossNodesTests
{
    private const string Tenant = "florist";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory(Timeout = 180_000)]
    [InlineData("direct")]
    [InlineData("topic")]
    public async Task A_webhook_yields_one_connected_trace_from_the_producer_through_both_nodes_to_the_channel_call(string handoff)
    {
        await using var stack = await new StackBuilder().Kafka(1, 3).Tenants(Tenant).InProcessWorkers(0).StartAsync();
        await using var simulator = await ChannelSimulatorServer.StartAsync(port: 0, seed: 5);
        var accounts = await SimulatedChannels.AddAsync(stack.Db, simulator, Tenant, ("web", ChannelTypes.Wix), ("pos", ChannelTypes.EposNow));
        accounts["pos"].SetStock("P-1", 10);
        await Catalog.SeedAsync(stack.Db, Tenant, [], [new("p1", Stock: 10)], [new("p1", "web", "W-1"), new("p1", "pos", "P-1")]);

        var spans = new ExportedSpans();
        void Export(TracerProviderBuilder tracing) => tracing.AddInMemoryExporter(spans);
        await using var watcherNode = await InProcessWorker.StartAsync(stack.SettingsFor(inProcess: true).SetList("Worker:Agents", ["watcher"]).Set("Agents:SyncHandoff", handoff), Export);
        await using var syncNode = await InProcessWorker.StartAsync(stack.SettingsFor(inProcess: true).SetList("Worker:Agents", ["sync"]).Set("Agents:SyncHandoff", handoff), Export);

        // The producer's own span: the trace it sends, sampled.
        var traceId = ActivityTraceId.CreateRandom();
        var producerSpan = ActivitySpanId.CreateRandom();
        var webhook = EnvelopeCodec.Create(Tenant, EventTypes.StockChanged,
            new StockChanged { ChannelId = "web", ChannelType = ChannelTypes.Wix, ExternalId = "W-1", Quantity = 7, Sequence = 1 },
            FairlaneJsonContext.Default.StockChanged);
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, webhook, $"00-{traceId.ToHexString()}-{producerSpan.ToHexString()}-01", null);

        // The sale reached the other channel: the whole path ran.
        await Eventually.WaitAsync(() => Task.FromResult(accounts["pos"].GetStock("P-1")), n => n == 7, Deadline, "the push to the pos channel");
        string[] expected = handoff == "topic"
            ? [$"receive {stack.Topics.Webhooks}", "queue wait", "process watcher", $"send {stack.Topics.Sync}", $"receive {stack.Topics.Sync}", "process sync", "sync push"]
            : [$"receive {stack.Topics.Webhooks}", "queue wait", "process watcher", "sync push"];
        // Spans are exported as they end; the trace is whole once every hop's span ended and each has its parent.
        // (The probe names the spans it saw first, so a timeout shows what the trace lacked.)
        var (_, trace) = await Eventually.WaitAsync(() => Task.FromResult(Describe(spans.OfTrace(traceId))),
            t => expected.All(name => t.Spans.Any(s => s.DisplayName == name)) && t.Spans.Any(IsChannelCall) && Disconnected(t.Spans, producerSpan).Count == 0,
            Deadline, "one connected trace with every hop");

        var first = Assert.Single(trace, s => s.DisplayName == $"receive {stack.Topics.Webhooks}");
        Assert.Equal(producerSpan, first.ParentSpanId);
        Assert.Equal(Tenant, first.GetTagItem("fairlane.tenant"));
        Assert.Equal(stack.Topics.Webhooks, first.GetTagItem("messaging.destination.name"));
        Assert.NotNull(first.GetTagItem("messaging.kafka.offset"));

        var watcher = Assert.Single(trace, s => s.DisplayName == "process watcher");
        Assert.Equal(first.SpanId, watcher.ParentSpanId);
        Assert.Equal("done", watcher.GetTagItem("fairlane.outcome"));
        var push = Assert.Single(trace, s => s.DisplayName == "sync push");
        if (handoff == "topic")
        {
            // The outbox row kept the context of the Watcher's transaction: the relay's publish is its child.
            Assert.Equal(watcher.SpanId, Assert.Single(trace, s => s.DisplayName == $"send {stack.Topics.Sync}").ParentSpanId);
            var sync = Assert.Single(trace, s => s.DisplayName == "process sync");
            Assert.Equal("done", sync.GetTagItem("fairlane.outcome"));
            Assert.Contains(push.Links, l => l.Context.SpanId == sync.SpanId);
        }
        else
        {
            // The pending row kept the context of the Watcher's transaction, and nothing went through the sync topic.
            Assert.Contains(push.Links, l => l.Context.SpanId == watcher.SpanId);
            Assert.DoesNotContain(trace, s => s.DisplayName.EndsWith(stack.Topics.Sync, StringComparison.Ordinal));
        }
        Assert.Contains(trace, s => IsChannelCall(s) && s.ParentSpanId == push.SpanId);
    }

    private static (string Seen, IReadOnlyList<Activity> Spans) Describe(IReadOnlyList<Activity> trace) =>
        (string.Join(", ", trace.Select(s => $"{s.DisplayName} [{s.SpanId} <- {s.ParentSpanId}]")), trace);

    private static bool IsChannelCall(Activity span) => span.Kind == ActivityKind.Client && span.Source.Name.StartsWith("System.Net.Http", StringComparison.Ordinal);

    // The spans whose parent is neither the producer's span nor another span of the trace.
    private static List<string> Disconnected(IReadOnlyList<Activity> trace, ActivitySpanId producerSpan)
    {
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        return trace.Where(s => s.ParentSpanId != producerSpan && !ids.Contains(s.ParentSpanId)).Select(s => s.DisplayName).ToList();
    }
}
