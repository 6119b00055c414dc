using System.Text;
using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Engine;

[Trait("Category", "Integration")]
public sealed class PoisonTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 180_000)]
    public async Task Each_kind_of_bad_input_is_dead_lettered_with_its_reason_and_good_events_around_it_are_processed()
    {
        await using var stack = await new StackBuilder().Kafka(1, 2).StartAsync();
        await stack.Db.RegisterTenantsAsync(["acme"]);
        var topic = stack.Topics.Webhooks;
        var good = new List<EventEnvelope>();

        async Task Good(int i)
        {
            var e = EventSender.StockEvent("acme", i);
            good.Add(e);
            await stack.Producer.ProduceAsync(topic, e);
        }
        Task Raw(string key, byte[] value) => stack.Producer.ProduceRawAsync(topic, new Message<string, byte[]> { Key = key, Value = value });

        await Good(1);
        await Raw("acme", "{\"id\": \"x\", oops"u8.ToArray());                                      // malformed JSON
        await Good(2);
        var wrongKey = EnvelopeCodec.Encode(EventSender.StockEvent("acme", 3));
        await Raw("other", wrongKey);                                                                 // key != tenant
        await Good(4);
        await stack.Producer.ProduceAsync(topic, EventSender.StockEvent("nobody", 5));                 // unknown tenant
        await Good(6);
        var huge = EventSender.StockEvent("acme", 7) with
        {
            Payload = System.Text.Json.JsonSerializer.SerializeToElement(new string('x', 2 * 1024 * 1024)),
        };
        await Raw("acme", EnvelopeCodec.Encode(huge));                                               // 2 MB payload
        await Good(8);
        var future = Encoding.UTF8.GetString(EnvelopeCodec.Encode(EventSender.StockEvent("acme", 9)))
            .Replace("\"schemaVersion\":1", "\"schemaVersion\":7", StringComparison.Ordinal);
        await Raw("acme", Encoding.UTF8.GetBytes(future));                                           // unknown schema version
        await Good(10);

        var letters = await DeadLetterReader.ReadAsync(stack.Cluster.BootstrapServers, stack.Topics.DeadLetters, expected: 5, Deadline);
        var reasons = letters.Select(l => l.Reason).ToList();
        Assert.All(letters, l => Assert.Equal(topic, l.OriginTopic));
        Assert.Contains(letters, l => l.Value.SequenceEqual(wrongKey)); // the original bytes are kept
        Assert.Equal(
            new[] { DeadLetterReasons.KeyMismatch, DeadLetterReasons.Malformed, DeadLetterReasons.Oversized,
                    DeadLetterReasons.UnknownSchemaVersion, DeadLetterReasons.UnknownTenant }.Order(),
            reasons.Order());
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n >= good.Count, Deadline, "the good events processed");
        Assert.Equal(good.Count, await stack.ProcessedCountAsync());
    }
}
