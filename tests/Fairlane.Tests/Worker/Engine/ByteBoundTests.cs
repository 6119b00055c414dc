using System.Text.Json;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace Fairlane.Tests.Worker.Engine;

/// <summary>
/// Large records fill memory long before the event-count watermark: Engine:BufferHighWatermarkBytes
/// pauses intake by bytes. A backlog of 1 MiB records waits in the broker (spread over partitions:
/// the embedded broker keeps only ~5 MB per partition) while a slow worker drains the node.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ByteBoundTests
{
    private const long MiB = 1024 * 1024;
    private const long Watermark = 4 * MiB;
    private const int Records = 12;

    // A valid stock report padded with a field the payload ignores: the item id stays short, as
    // handlers index it.
    private static EventEnvelope LargeEvent(string tenant)
    {
        var e = EventSender.StockEvent(tenant, 1);
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(e.Payload)!;
        fields["padding"] = JsonSerializer.SerializeToElement(new string('x', (int)MiB - 600));
        return e with { Payload = JsonSerializer.SerializeToElement(fields) };
    }

    [Fact(Timeout = 240_000)]
    public async Task A_backlog_of_1_MiB_records_pauses_intake_at_the_byte_watermark()
    {
        await using var stack = await new StackBuilder().Kafka(1, 24)
            .With("Engine:BufferHighWatermarkBytes", Watermark)
            .With("Kafka:MaxMessageBytes", 2097152)
            .With("Engine:Workers", 1)
            .With("Engine:MaxBatchSize", 1)
            .With("Engine:ArtificialHandlerDelayMs", 500)
            .StartAsync();
        var tenants = Enumerable.Range(0, Records).Select(i => $"big-{i:00}").ToList();
        await stack.Db.RegisterTenantsAsync(tenants);
        var events = tenants.Select(LargeEvent).ToList();
        var recordBytes = events.Max(e => EnvelopeCodec.Encode(e).Length + e.TenantId.Length);
        Assert.InRange(recordBytes, MiB - 1024, MiB);

        var engine = stack.Worker.Services.GetRequiredService<FairEngine>();
        using var stop = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            var (maxBytes, paused) = (0L, false);
            while (!stop.IsCancellationRequested)
            {
                maxBytes = Math.Max(maxBytes, engine.BufferedBytes);
                paused |= engine.ConsumptionPaused;
                await Task.Delay(5);
            }
            return (maxBytes, paused);
        });

        foreach (var e in events) stack.Producer.Produce(stack.Topics.Webhooks, e);
        Assert.Equal(0, stack.Producer.Flush(TimeSpan.FromSeconds(60)));
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n >= Records, TimeSpan.FromSeconds(120), "every large record processed");
        await stop.CancelAsync();
        var (max, wasPaused) = await sampling;

        // Filled up to the watermark, never past it by more than one record (all twelve would be 12 MiB).
        Assert.InRange(max, Watermark - recordBytes, Watermark + recordBytes);
        Assert.True(wasPaused, "intake never paused, though the records far exceed the byte watermark");
        Assert.Equal(0, engine.BufferedBytes);
    }
}
