using System.Diagnostics;
using Fairlane.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace Fairlane.Tests.Worker.Tracing;

/// <summary>A .NET producer sending through FairlaneProducer inside a span of its own: Fairlane's processing continues that span's trace.</summary>
[Trait("Category", "Integration")]
public sealed class ProducerTraceTests
{
    private const string Tenant = "traced-shop";

    [Fact(Timeout = 120_000)]
    public async Task The_producers_current_span_is_the_parent_of_the_consume()
    {
        await using var stack = await new StackBuilder().Kafka(1, 3).Tenants(Tenant).InProcessWorkers(0).StartAsync();
        var spans = new ExportedSpans();
        await using var node = await InProcessWorker.StartAsync(stack.SettingsFor(inProcess: true), tracing => tracing.AddInMemoryExporter(spans));

        using (var sending = new Activity("producer send").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            sending.ActivityTraceFlags = ActivityTraceFlags.Recorded;
            await stack.Producer.ProduceAsync(stack.Topics.Webhooks, EventSender.StockEvent(Tenant, 1));
            var trace = await Eventually.WaitAsync(() => Task.FromResult(spans.OfTrace(sending.TraceId)),
                t => t.Any(s => s.DisplayName == "process watcher"), TimeSpan.FromSeconds(60), "the event processed in the producer's trace");

            Assert.Equal(sending.SpanId, Assert.Single(trace, s => s.DisplayName == $"receive {stack.Topics.Webhooks}").ParentSpanId);
        }
    }
}
