using System.Security.Cryptography;
using Fairlane.Agents.Channels;
using Fairlane.ChannelSimulator;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Agents;

/// <summary>
/// A webhook on one channel reaches the others through Watcher → outbox → Sync → channel adapters,
/// against the channel simulator over loopback HTTP.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SyncTests
{
    private const string Tenant = "florist";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // Fast retries; a breaker that opens after a few failed calls and tries again after a second.
    private static readonly (string Key, object Value)[] FastChannels =
    [
        ("Channels:Resilience:MaxRetryAttempts", 4), ("Channels:Resilience:RetryBaseDelayMs", 5), ("Channels:Resilience:RetryMaxDelayMs", 20),
        ("Channels:Resilience:BreakerMinimumThroughput", 4), ("Channels:Resilience:BreakerSamplingDurationMs", 5000),
        ("Channels:Resilience:BreakerBreakDurationMs", 1000),
    ];

    private sealed record Shop(TestStack Stack, ChannelSimulatorServer Simulator, SimulatedAccount Pos, SimulatedAccount Web, SimulatedAccount Food)
        : IAsyncDisposable
    {
        public static async Task<Shop> OpenAsync(int stock = 10, int buffer = 2)
        {
            var stack = await new StackBuilder().Kafka(1, 6).With(FastChannels).StartAsync();
            var simulator = await ChannelSimulatorServer.StartAsync(port: 0, seed: 7);
            await stack.Db.RegisterTenantsAsync([Tenant]);
            var accounts = await SimulatedChannels.AddAsync(stack.Db, simulator, Tenant,
                ("pos", ChannelTypes.EposNow), ("web", ChannelTypes.Wix), ("food", ChannelTypes.Deliveroo));
            foreach (var (id, account) in accounts) account.SetStock($"{id}-1", stock - buffer);
            await Catalog.SeedAsync(stack.Db, Tenant, [], [new("p1", stock, buffer)],
                [new("p1", "pos", "pos-1"), new("p1", "web", "web-1"), new("p1", "food", "food-1")]);
            return new Shop(stack, simulator, accounts["pos"], accounts["web"], accounts["food"]);
        }

        public async Task<EventEnvelope> SellOnPosAsync(int posNowShows, long sequence)
        {
            var e = EnvelopeCodec.Create(Tenant, EventTypes.StockChanged,
                new StockChanged { ChannelId = "pos", ChannelType = ChannelTypes.EposNow, ExternalId = "pos-1", Quantity = posNowShows, Sequence = sequence },
                FairlaneJsonContext.Default.StockChanged);
            await Stack.Producer.ProduceAsync(Stack.Topics.Webhooks, e);
            return e;
        }

        public Task<string> SyncStatusAsync(EventEnvelope webhook) =>
            Eventually.WaitAsync(() => Stack.Db.ScalarAsync<string>($"SELECT coalesce(max(status), '') FROM sync_events WHERE source_event_id = '{webhook.Id}'"),
                status => status is "completed" or "partial" or "failed", Deadline, $"the sync of {webhook.Id} to finish");

        public async ValueTask DisposeAsync()
        {
            await Stack.DisposeAsync();
            await Simulator.DisposeAsync();
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_sale_on_one_channel_reaches_the_others_with_the_buffer_held_back()
    {
        await using var shop = await Shop.OpenAsync(stock: 10, buffer: 2);

        // The POS showed 8 (10 - 2); it now shows 6: two sold in the shop. Internal stock 8, channels show 6.
        var sale = await shop.SellOnPosAsync(6, sequence: 1);

        Assert.Equal("completed", await shop.SyncStatusAsync(sale));
        Assert.Equal(8, await Catalog.StockAsync(shop.Stack.Db, Tenant, "p1"));
        Assert.Equal(6, shop.Web.GetStock("web-1"));
        Assert.Equal(6, shop.Food.GetStock("food-1"));
        Assert.Equal(0, shop.Pos.Calls(ChannelOperations.Push)); // never pushed back to where it came from
        Assert.Equal(6, await shop.Stack.Db.ScalarAsync<int>("SELECT channel_stock FROM product_channel_mappings WHERE channel_id = 'food'"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Storms_of_429s_and_server_errors_are_ridden_out()
    {
        await using var shop = await Shop.OpenAsync();
        shop.Web.FailNext(3, 429);
        shop.Food.FailNext(3, 503);

        var sale = await shop.SellOnPosAsync(5, sequence: 1);

        Assert.Equal("completed", await shop.SyncStatusAsync(sale));
        Assert.Equal(5, shop.Web.GetStock("web-1"));
        Assert.Equal(5, shop.Food.GetStock("food-1"));
        Assert.Equal(3, shop.Web.Calls(ChannelOperations.Push, 429));
        Assert.Equal(3, shop.Food.Calls(ChannelOperations.Push, 503));
    }

    [Fact(Timeout = 120_000)]
    public async Task An_outage_opens_the_breaker_and_alerts_and_the_channel_alert_clears_once_it_is_back()
    {
        await using var shop = await Shop.OpenAsync(stock: 100, buffer: 0);
        shop.Web.Faults = new SimulatedFaults { Outage = true };
        var openAlert = () => shop.Stack.Db.ScalarAsync<long>(
            "SELECT count(*) FROM alerts WHERE kind = 'channel_status' AND subject = 'web' AND status = 'open'");

        // Sales keep coming while the web shop is down: its breaker opens and an alert says so.
        var sequence = 0;
        await Eventually.WaitAsync(async () =>
        {
            var sale = await shop.SellOnPosAsync(100 - ++sequence, sequence);
            await shop.SyncStatusAsync(sale);
            return await openAlert();
        }, n => n == 1, Deadline, "a channel_status alert for the web shop");
        Assert.Contains("circuit_open", await shop.Stack.Db.ScalarAsync<string>(
            "SELECT results::text FROM sync_events WHERE status = 'partial' ORDER BY id DESC LIMIT 1"));
        Assert.Equal(1, await openAlert()); // raised once, however many syncs failed

        // Enough failed pushes within the window make the channel unhealthy as well.
        await Eventually.WaitAsync(async () =>
        {
            var sale = await shop.SellOnPosAsync(100 - ++sequence, sequence);
            await shop.SyncStatusAsync(sale);
            return await shop.Stack.Db.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE kind = 'sync_health' AND subject = 'web' AND status = 'open'");
        }, n => n == 1, Deadline, "a sync_health alert for the web shop");
        Assert.True(sequence >= 5, $"sync_health opened after {sequence} failed syncs; the threshold is 5");

        // Back up: after the break the breaker lets a call through, it works, and the alert resolves.
        shop.Web.Faults = new SimulatedFaults { Outage = false };
        await Eventually.WaitAsync(async () =>
        {
            var sale = await shop.SellOnPosAsync(100 - ++sequence, sequence);
            await shop.SyncStatusAsync(sale);
            return await openAlert();
        }, n => n == 0, Deadline, "the channel_status alert resolved");
        Assert.Equal(100 - sequence, shop.Web.GetStock("web-1"));
        Assert.Equal(1, await shop.Stack.Db.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE kind = 'channel_status' AND status = 'resolved'"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Refused_credentials_mark_the_channel_and_raise_a_critical_alert()
    {
        await using var shop = await Shop.OpenAsync();
        shop.Food.ExpectedCredential = "rotated-elsewhere";

        var sale = await shop.SellOnPosAsync(5, sequence: 1);

        Assert.Equal("partial", await shop.SyncStatusAsync(sale));
        Assert.Equal("auth_failed", await shop.Stack.Db.ScalarAsync<string>("SELECT status FROM channels WHERE id = 'food'"));
        await Eventually.WaitAsync(() => shop.Stack.Db.ScalarAsync<long>(
            "SELECT count(*) FROM alerts WHERE kind = 'channel_status' AND subject = 'food' AND severity = 'critical' AND status = 'open'"),
            n => n == 1, Deadline, "a critical channel_status alert");
        Assert.Equal(5, shop.Web.GetStock("web-1"));
    }

    [Theory(Timeout = 120_000)]
    [InlineData("")]
    [InlineData("deliveroo.example.test/api")]
    [InlineData("ftp://deliveroo.example.test/api")]
    public async Task A_channel_with_an_unusable_base_url_is_one_alert_not_a_stream_of_dead_letters(string baseUrl)
    {
        await using var shop = await Shop.OpenAsync(stock: 100, buffer: 0);
        await A_misconfigured_channel_is_skipped_alerted_once_and_picked_up_again_when_fixed(shop,
            breakIt: () => shop.Stack.Db.ExecuteAsync($"UPDATE channels SET base_url = '{baseUrl}' WHERE id = 'food'"),
            fixIt: () => shop.Stack.Db.ExecuteAsync($"UPDATE channels SET base_url = '{shop.Food.BaseUrl}' WHERE id = 'food'"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_channel_whose_credentials_no_longer_decrypt_is_one_alert_not_a_stream_of_dead_letters()
    {
        await using var shop = await Shop.OpenAsync(stock: 100, buffer: 0);
        await A_misconfigured_channel_is_skipped_alerted_once_and_picked_up_again_when_fixed(shop,
            breakIt: () => SimulatedChannels.SaveAsync(shop.Stack.Db, Tenant, "food", shop.Food, credentialKey: RandomNumberGenerator.GetBytes(32)),
            fixIt: () => SimulatedChannels.SaveAsync(shop.Stack.Db, Tenant, "food", shop.Food));
    }

    // The food channel is broken while the shop keeps selling: every sync still reaches the web shop,
    // none dead-letters, food is never called and carries exactly one alert. Fixed, the next sync reaches it
    // and the alert resolves.
    private static async Task A_misconfigured_channel_is_skipped_alerted_once_and_picked_up_again_when_fixed(Shop shop, Func<Task> breakIt,
        Func<Task> fixIt)
    {
        await breakIt();
        var foodAlerts = (string status) => shop.Stack.Db.ScalarAsync<long>(
            $"SELECT count(*) FROM alerts WHERE subject = 'food' AND kind = 'channel_status' AND status = '{status}'");

        const int Sales = 8; // beyond the sync_health threshold of 5: a skipped channel must not count as failing
        for (var sequence = 1; sequence <= Sales; sequence++)
        {
            var sale = await shop.SellOnPosAsync(100 - sequence, sequence);
            Assert.Equal("partial", await shop.SyncStatusAsync(sale));
            Assert.Equal(100 - sequence, shop.Web.GetStock("web-1"));
        }
        await Eventually.WaitAsync(() => foodAlerts("open"), n => n == 1, Deadline, "a channel_status alert for the misconfigured channel");

        Assert.Equal(0, DeadLetterReader.Count(shop.Stack.Cluster.BootstrapServers, shop.Stack.Topics.DeadLetters));
        Assert.Equal(Sales, shop.Web.Calls(ChannelOperations.Push));
        Assert.Equal(0, shop.Food.TotalCalls);
        Assert.Equal(100, shop.Food.GetStock("food-1"));
        Assert.Equal("misconfigured", await shop.Stack.Db.ScalarAsync<string>("SELECT status FROM channels WHERE id = 'food'"));
        Assert.Equal(1L, await shop.Stack.Db.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE subject = 'food'"));
        Assert.Equal(Sales, await shop.Stack.Db.ScalarAsync<long>(
            "SELECT count(*) FROM sync_events, jsonb_array_elements(results) r " +
            "WHERE r->>'channelId' = 'food' AND r->>'outcome' = 'skipped' AND r->>'error' LIKE 'the channel is misconfigured: %'"));

        await fixIt();
        var fixedSale = await shop.SellOnPosAsync(100 - Sales - 1, Sales + 1);
        Assert.Equal("completed", await shop.SyncStatusAsync(fixedSale));
        Assert.Equal(100 - Sales - 1, shop.Food.GetStock("food-1"));
        Assert.Equal("active", await shop.Stack.Db.ScalarAsync<string>("SELECT status FROM channels WHERE id = 'food'"));
        await Eventually.WaitAsync(() => foodAlerts("resolved"), n => n == 1, Deadline, "the misconfigured channel's alert resolved");
        Assert.Equal(0, await foodAlerts("open"));
        Assert.Equal(0, DeadLetterReader.Count(shop.Stack.Cluster.BootstrapServers, shop.Stack.Topics.DeadLetters));
    }
}
