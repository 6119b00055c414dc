using Fairlane.LoadTest.Chaos;

namespace Fairlane.Tests.LoadTest;

public sealed class StockModelTests
{
    [Fact]
    public void Deltas_sum_onto_the_initial_stock_each_once()
    {
        var model = new StockModel(100);
        model.Add(new SentReport("t", "p-0001", "c-1", -3, null, null));
        model.Add(new SentReport("t", "p-0001", "c-2", 2, null, null));
        model.Add(new SentReport("t", "p-0001", "c-3", -1, null, null));
        Assert.Equal(98, model.Expected("t", "p-0001"));
    }

    [Fact]
    public void The_level_with_the_highest_sequence_wins_whatever_the_order_sent()
    {
        var model = new StockModel(100);
        model.Add(new SentReport("t", "p-0000", "c-1", null, 70, 1));
        model.Add(new SentReport("t", "p-0000", "c-3", null, 120, 3));
        model.Add(new SentReport("t", "p-0000", "c-2", null, 55, 2));
        Assert.Equal(120, model.Expected("t", "p-0000"));
    }

    [Fact]
    public void A_product_without_reports_keeps_its_initial_stock_and_tenants_are_apart()
    {
        var model = new StockModel(100);
        model.Add(new SentReport("a", "p-0001", "c-1", 5, null, null));
        Assert.Equal(100, model.Expected("b", "p-0001"));
        Assert.Equal(100, model.Expected("a", "p-0002"));
        Assert.Equal(105, model.Expected("a", "p-0001"));
    }

    [Fact]
    public void Mixing_deltas_and_levels_on_one_product_is_refused()
    {
        var model = new StockModel(100);
        model.Add(new SentReport("t", "p-0000", "c-1", null, 70, 1));
        Assert.Throws<ArgumentException>(() => model.Add(new SentReport("t", "p-0000", "c-2", 1, null, null)));
        Assert.Throws<ArgumentException>(() => model.Add(new SentReport("t", "p-0003", "c-3", null, 70, null)));
    }

    [Fact]
    public void Traffic_reports_levels_with_rising_sequences_on_the_level_channel_and_deltas_without_on_the_others()
    {
        var now = DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var traffic = new ChaosTraffic("t", products: 6, seed: 42, () => now); // a clock standing still
        var sequences = new Dictionary<string, long>();
        var lastAt = DateTimeOffset.MinValue;
        for (var i = 0; i < 300; i++)
        {
            var (envelope, report) = traffic.Next();
            var change = Fairlane.Contracts.Events.EventCatalog.StockChanged.Decode(envelope).Payload;
            Assert.True(envelope.OccurredAt > lastAt, "occurredAt rises strictly, so the Watcher orders deltas by it");
            lastAt = envelope.OccurredAt;
            var product = int.Parse(report.ProductId[2..], System.Globalization.CultureInfo.InvariantCulture);
            if (ChaosTraffic.IsLevelProduct(product))
            {
                Assert.Equal(ChaosTraffic.LevelChannel.Id, change.ChannelId);
                Assert.Null(change.Delta);
                Assert.True(change.Sequence > sequences.GetValueOrDefault(report.ProductId));
                sequences[report.ProductId] = change.Sequence!.Value;
            }
            else
            {
                Assert.NotEqual(ChaosTraffic.LevelChannel.Id, change.ChannelId);
                Assert.Null(change.Sequence);
                Assert.Equal(report.Delta, change.Delta);
            }
        }
    }

    [Fact]
    public void Judge_counts_lost_doubled_missing_effects_and_stock_mismatches()
    {
        var model = new StockModel(100);
        SentReport[] sent =
        [
            new("t", "p-0001", "c-1", 2, null, null),
            new("t", "p-0001", "c-2", 3, null, null),
            new("t", "p-0001", "c-3", 1, null, null),
            new("t", "p-0000", "c-4", null, 80, 1),
        ];
        foreach (var r in sent) model.Add(r);
        var processed = new HashSet<(string, string)> { ("t", "c-1"), ("t", "c-2"), ("t", "c-4") }; // c-3 lost
        var effects = new Dictionary<(string, string), int> { [("t", "c-1")] = 2, [("t", "c-4")] = 1 };   // c-1 doubled, c-2 without effect
        var findings = EffectJudge.Judge(sent, model, processed, effects, [("t", "p-0001", 108), ("t", "p-0000", 80), ("t", "p-0002", 100)]);
        Assert.Equal(1, findings.Lost);
        Assert.Equal(1, findings.Doubled);
        Assert.Equal(1, findings.DeltasWithoutEffect);
        Assert.Equal(0, findings.StaleLevels);
        var mismatch = Assert.Single(findings.StockMismatches);
        Assert.Equal(("p-0001", 106, 108), (mismatch.ProductId, mismatch.Expected, mismatch.Actual));
    }
}
