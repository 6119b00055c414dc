using System.Text.Json;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Intake;

/// <summary>Intake decodes each payload once, through the event catalogue, before the event enters the engine.</summary>
[Trait("Category", "Integration")]
public sealed class PayloadDecodeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 180_000)]
    public async Task A_payload_that_does_not_fit_its_type_is_dead_lettered_as_malformed_and_the_events_around_it_are_processed()
    {
        await using var stack = await new StackBuilder().Kafka(1, 2).StartAsync();
        await stack.Db.RegisterTenantsAsync(["acme"]);
        var topic = stack.Topics.Webhooks;

        await stack.Producer.ProduceAsync(topic, EventSender.StockEvent("acme", 1));
        // A valid envelope of a known type on its own topic, but its payload has no channelId.
        var shapeless = EventSender.StockEvent("acme", 2) with
        {
            Payload = JsonDocument.Parse("""{"channelType":"wix","externalId":"item-1","delta":-1}""").RootElement.Clone(),
        };
        await stack.Producer.ProduceAsync(topic, shapeless);
        await stack.Producer.ProduceAsync(topic, EventSender.StockEvent("acme", 3));

        var letter = Assert.Single(await DeadLetterReader.ReadAsync(stack.Cluster.BootstrapServers, stack.Topics.DeadLetters, 1, Deadline));
        Assert.Equal(DeadLetterReasons.Malformed, letter.Reason);
        Assert.Contains($"'{EventTypes.StockChanged}'", letter.Headers[HeaderNames.DlqDetail]);
        Assert.Equal(shapeless.Id, EnvelopeCodec.Decode("acme", letter.Value).Envelope!.Id); // the original bytes are kept
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n >= 2, Deadline, "the two good events processed");
        Assert.Equal(0L, await stack.Db.ScalarAsync<long>($"SELECT count(*) FROM processed_events WHERE event_id = '{shapeless.Id}'"));
    }
}
