using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Intake;

/// <summary>
/// Events that come back after the processed-events ledger forgot them (retention deletes its rows
/// after Retention:ProcessedEventsDays) cannot be proven unprocessed, so intake dead-letters them.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DedupWindowTests
{
    private const string Tenant = "shop";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static EventEnvelope Sale(int delta, long sequence, TimeSpan age) =>
        EnvelopeCodec.Create(Tenant, EventTypes.StockChanged,
            new StockChanged { ChannelId = "web", ChannelType = "wix", ExternalId = "W-1", Delta = delta, Sequence = sequence },
            FairlaneJsonContext.Default.StockChanged, occurredAt: DateTimeOffset.UtcNow - age);

    [Fact(Timeout = 120_000)]
    public async Task An_event_older_than_the_ledger_window_is_dead_lettered_unapplied_and_one_inside_it_is_applied()
    {
        // Channels lead nowhere: Sync records its pushes as failed at once, which is all this test needs of it.
        await using var stack = await new StackBuilder().Kafka(1, 6).With("Channels:Resilience:MaxRetryAttempts", 0).With("Retention:ProcessedEventsDays", 7).StartAsync();
        await stack.Db.RegisterTenantsAsync([Tenant]);
        await Catalog.SeedAsync(stack.Db, Tenant, [new("web", "wix")], [new("p1", Stock: 10)], [new("p1", "web", "W-1")]);

        var replayed = Sale(delta: -3, sequence: 1, age: TimeSpan.FromDays(8));    // a re-send from beyond the window
        var late = Sale(delta: -1, sequence: 2, age: TimeSpan.FromDays(6));        // old, but its ledger row would still exist
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, replayed);
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, late);

        var letter = Assert.Single(await DeadLetterReader.ReadAsync(stack.Cluster.BootstrapServers, stack.Topics.DeadLetters, 1, Deadline));
        Assert.Equal(DeadLetterReasons.BeyondDedupWindow, letter.Reason);
        Assert.Equal(replayed.Id, EnvelopeCodec.Decode(Tenant, letter.Value).Envelope!.Id); // the original bytes are kept
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>($"SELECT count(*) FROM processed_events WHERE event_id = '{late.Id}'"),
            n => n == 1, Deadline, "the event inside the window processed");

        Assert.Equal(9, await Catalog.StockAsync(stack.Db, Tenant, "p1")); // only the -1 applied
        Assert.Equal(0, await stack.Db.ScalarAsync<long>($"SELECT count(*) FROM processed_events WHERE event_id = '{replayed.Id}'"));
    }
}
