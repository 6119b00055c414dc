using Fairlane.Contracts.Events;
using Fairlane.LoadTest.Load;
using Fairlane.LoadTest.Seeding;

namespace Fairlane.LoadTest.Chaos;

/// <summary>
/// A tenant's chaos stream of stock.changed webhooks. Even-numbered products are reported by
/// absolute level with the item's next sequence, on <see cref="LevelChannel"/> (which the run
/// disables, so Sync and the Guardian never overwrite what it last reported); odd-numbered ones by
/// a small delta without a sequence on one of the other channels. Each report's occurredAt is later
/// than the tenant's previous one (a delta is ordered by it), even when the clock stands still.
/// </summary>
internal sealed class ChaosTraffic(string tenant, int products, int seed, Func<DateTimeOffset> clock)
{
    public static TenantChannel LevelChannel { get; } = TenantChannel.All.Single(c => c.Id == "deliveroo-main");

    private static readonly TenantChannel[] DeltaChannels = [.. TenantChannel.All.Where(c => c != LevelChannel)];
    private static readonly int[] Deltas = [-3, -2, -1, 1, 2, 3];

    private readonly Random _random = new(StableSeed.Of(seed, "chaos", tenant));
    private readonly Dictionary<int, long> _sequences = [];
    private DateTimeOffset _lastOccurredAt = DateTimeOffset.MinValue;
    private long _count;

    public static bool IsLevelProduct(int product) => product % 2 == 0;

    public (EventEnvelope Envelope, SentReport Report) Next()
    {
        var id = $"c-{++_count:000000}";
        var product = _random.Next(products);
        var now = clock();
        _lastOccurredAt = now > _lastOccurredAt ? now : _lastOccurredAt.AddMilliseconds(1);
        StockChanged change;
        SentReport report;
        if (IsLevelProduct(product))
        {
            var sequence = _sequences[product] = _sequences.GetValueOrDefault(product) + 1;
            var level = _random.Next(50, 151);
            change = new StockChanged
            {
                ChannelType = LevelChannel.Type, ChannelId = LevelChannel.Id, ExternalId = LevelChannel.ExternalId(product), Quantity = level, Sequence = sequence,
            };
            report = new SentReport(tenant, TenantChannel.ProductId(product), id, null, level, sequence);
        }
        else
        {
            var channel = DeltaChannels[_random.Next(DeltaChannels.Length)];
            var delta = Deltas[_random.Next(Deltas.Length)];
            change = new StockChanged { ChannelType = channel.Type, ChannelId = channel.Id, ExternalId = channel.ExternalId(product), Delta = delta };
            report = new SentReport(tenant, TenantChannel.ProductId(product), id, delta, null, null);
        }
        var envelope = EnvelopeCodec.Create(tenant, EventTypes.StockChanged, change, FairlaneJsonContext.Default.StockChanged, id: id, occurredAt: _lastOccurredAt);
        return (envelope, report);
    }
}
