using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Agents.Handlers;

/// <summary>
/// A run of reports is read once and written once (Watcher runs), yet must leave exactly what the same
/// reports leave one transaction at a time. Random histories (a seed each) mix sales and counts, with a
/// sequence or without, late and repeated reports, several channels of one product and an unmapped
/// item; one tenant takes them as one run, a twin tenant with the same catalogue one by one, and every
/// row the Watcher writes must match: stock, what each channel last reported, the sync records in id
/// order, what is pending for Sync and from where, and how many requests folded.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WatcherRunPropertyTests
{
    private static readonly string[] Items = ["web-1", "web-2", "web-3", "pos-1", "pos-2", "pos-404"];

    [Theory(Timeout = 120_000)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task A_run_of_reports_leaves_what_the_same_reports_leave_one_at_a_time(int seed)
    {
        await using var bed = await HandlerTestBed.StartAsync("solo", "batch");
        foreach (var tenant in new[] { "solo", "batch" })
        {
            await Catalog.SeedAsync(bed.Db, tenant, [new("web", "wix"), new("pos", "eposnow")],
                [new("p1", 50, BufferStock: 2, LowStockThreshold: 40), new("p2", 30), new("p3", 10)],
                [new("p1", "web", "web-1"), new("p2", "web", "web-2"), new("p3", "web", "web-3"), new("p1", "pos", "pos-1"), new("p2", "pos", "pos-2")]);
        }
        var history = History(new Random(seed), 40);
        var soloFolds = new CountingSyncObserver();
        var batchFolds = new CountingSyncObserver();

        var solo = bed.Watcher(observer: soloFolds);
        foreach (var (report, id, at) in history)
        {
            var (outcomes, _) = await bed.RunAsync(solo, "solo", [HandlerTestBed.Typed("solo", report, id, at)]);
            Assert.True(outcomes[0].Completed);
        }
        var (batchOutcomes, _) = await bed.RunAsync(bed.Watcher(observer: batchFolds), "batch",
            history.Select(h => (TypedEnvelope)HandlerTestBed.Typed("batch", h.Report, h.Id, h.At)).ToList());

        Assert.All(batchOutcomes, o => Assert.True(o.Completed));
        foreach (var query in RowsWritten)
        {
            Assert.Equal(await RowsAsync(bed, query, "solo"), await RowsAsync(bed, query, "batch"));
        }
        Assert.Equal(soloFolds.FoldedCount, batchFolds.FoldedCount);
        // The history changed something, or the comparison proves nothing.
        Assert.NotEqual("p1 50, p2 30, p3 10", await RowsAsync(bed, RowsWritten[0], "batch"));
    }

    private static Task<string> RowsAsync(HandlerTestBed bed, string query, string tenant) =>
        bed.Db.ScalarAsync<string>($"SELECT coalesce(({string.Format(System.Globalization.CultureInfo.InvariantCulture, query, tenant)}), '')");

    private static readonly string[] RowsWritten =
    [
        "SELECT string_agg(id || ' ' || stock, ', ' ORDER BY id) FROM products WHERE tenant_id = '{0}'",
        """
        SELECT string_agg(concat_ws(' ', channel_id, external_id, channel_stock, last_sequence, last_changed_at), ', ' ORDER BY channel_id, external_id)
        FROM product_channel_mappings WHERE tenant_id = '{0}'
        """,
        """
        SELECT string_agg(concat_ws(' ', product_id, source_event_id, origin_channel_id, quantity, status), ', ' ORDER BY id)
        FROM sync_events WHERE tenant_id = '{0}'
        """,
        """
        SELECT string_agg(concat_ws(' ', product_id, CASE WHEN origin_mixed THEN NULL ELSE origin_channel_id END), ', ' ORDER BY product_id)
        FROM sync_pending WHERE tenant_id = '{0}'
        """,
        "SELECT string_agg(subject, ', ' ORDER BY subject) FROM alerts WHERE tenant_id = '{0}'",
        "SELECT string_agg(event_id, ', ' ORDER BY id) FROM outbox WHERE tenant_id = '{0}'",
    ];

    /// <summary>Reports of one tenant in offset order, the same for both tenants; times move on in whole seconds, stay, or go back one.</summary>
    private static List<(StockChanged Report, string Id, DateTimeOffset At)> History(Random random, int count)
    {
        var history = new List<(StockChanged, string, DateTimeOffset)>();
        var at = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var item = Items[random.Next(Items.Length)];
            var channel = item.Split('-')[0];
            at = at.AddSeconds(random.Next(-1, 3)); // sometimes late, sometimes in the same second
            var report = new StockChanged
            {
                ChannelType = channel == "web" ? "wix" : "eposnow", ChannelId = channel, ExternalId = item,
                Sequence = channel == "web" ? random.Next(1, count) : null,
                Quantity = random.Next(4) == 0 ? random.Next(0, 60) : null,
            };
            report = report.Quantity is null ? report with { Delta = random.Next(-5, 3) } : report;
            history.Add((report, $"evt-{i:D3}", at));
        }
        return history;
    }
}
