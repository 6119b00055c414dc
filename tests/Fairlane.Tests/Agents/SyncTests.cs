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
    private static readonly string[] FastChannels =
    [
        "--Channels:Resilience:MaxRetryAttempts=4", "--Channels:Resilience:RetryBaseDelayMs=5", "--Channels:Resilience:RetryMaxDelayMs=20",
        "--Channels:Resilience:BreakerMinimumThroughput=4", "--Channels:Resilience:BreakerSamplingDurationMs=5000",
        "--Channels:Resilience:BreakerBreakDurationMs=1000",
    ];

    private sealed record Shop(WorkerStack Stack, ChannelSimulatorServer Simulator, SimulatedAccount Pos, SimulatedAccount Web, SimulatedAccount Food)
        : IAsyncDisposable
    {
        public static async Task<Shop> OpenAsync(int stock = 10, int buffer = 2)
        {
            var stack = await WorkerStack.StartAsync(1, 6, FastChannels);
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

    [Fact]
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

    [Fact]
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

    [Fact]
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

    [Fact]
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
}
