using Fairlane.Agents.Alerting;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Sync;
using Fairlane.ChannelSimulator;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Agents.Channels;
using Fairlane.Tests.Infrastructure;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Agents.Handlers;

/// <summary>
/// Sync's handler called directly with typed requests, and its pusher pushing what they left pending to
/// the channel simulator over loopback.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SyncHandlerTests
{
    private const string Tenant = "baker";

    [Fact(Timeout = 60_000)]
    public async Task A_request_pushes_stock_less_buffer_to_the_other_channels_and_records_each_result()
    {
        await using var bed = await HandlerTestBed.StartAsync(Tenant);
        await using var channels = await ChannelHarness.StartAsync();
        var accounts = await SimulatedChannels.AddAsync(bed.Db, channels.Simulator, Tenant,
            ("pos", ChannelTypes.EposNow), ("web", ChannelTypes.Wix), ("food", ChannelTypes.Deliveroo));
        await Catalog.SeedAsync(bed.Db, Tenant, [], [new("p1", 10, BufferStock: 2)],
            [new("p1", "pos", "pos-1"), new("p1", "web", "web-1"), new("p1", "food", "food-1")]);
        foreach (var (id, account) in accounts) account.SetStock($"{id}-1", 10); // what they showed before the sale
        accounts["food"].FailNext(100, 500); // food refuses every attempt: recorded failed, its health checked
        var sync = new SyncRig(bed, channels);

        var handled = await bed.HandleAsync(sync.Handler, Tenant, new SyncRequested { ProductId = "p1", OriginChannelId = "pos", Reason = "manual" });
        Assert.True(handled.Outcome.Completed);
        Assert.Equal(0, accounts["web"].Calls(ChannelOperations.Push)); // the request only marks the product pending
        Assert.Equal(1, await sync.DrainAsync());

        Assert.Equal(8, accounts["web"].GetStock("web-1"));
        Assert.Equal(0, accounts["pos"].Calls(ChannelOperations.Push)); // never pushed back to where it came from
        Assert.Equal("partial 8", await bed.Db.ScalarAsync<string>(
            $"SELECT status || ' ' || quantity FROM sync_events WHERE source_event_id = '{handled.EventId}'"));
        Assert.Equal(8, await bed.Db.ScalarAsync<int>("SELECT channel_stock FROM product_channel_mappings WHERE channel_id = 'web'"));
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(channel_stock) FROM product_channel_mappings WHERE channel_id = 'food'"));
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_pending"));
        var (topic, emitted) = Assert.Single(await bed.OutboxAsync(Tenant));
        Assert.Equal("alerts", topic);
        Assert.Equal((AlertKinds.All, "food"), (emitted.As<AlertCheck>().Payload.Check, emitted.As<AlertCheck>().Payload.ChannelId));
        Assert.Equal(1, sync.Observer.PushedCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_request_for_a_product_that_does_not_exist_is_a_permanent_failure()
    {
        await using var bed = await HandlerTestBed.StartAsync(Tenant);
        await using var channels = await ChannelHarness.StartAsync();
        var sync = new SyncRig(bed, channels);

        var handled = await bed.HandleAsync(sync.Handler, Tenant, new SyncRequested { ProductId = "ghost", Reason = "manual" });

        Assert.Equal("product 'ghost' does not exist", handled.Outcome.Detail);
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_events"));
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_pending"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Requests_for_one_product_fold_into_one_push_of_its_newest_level()
    {
        await using var bed = await HandlerTestBed.StartAsync(Tenant);
        await using var channels = await ChannelHarness.StartAsync();
        var accounts = await SimulatedChannels.AddAsync(bed.Db, channels.Simulator, Tenant, ("web", ChannelTypes.Wix), ("food", ChannelTypes.Deliveroo));
        await Catalog.SeedAsync(bed.Db, Tenant, [], [new("p1", 50), new("p2", 9)],
            [new("p1", "web", "web-1"), new("p1", "food", "food-1"), new("p2", "web", "web-2")]);
        foreach (var item in new[] { "web-1", "web-2" }) accounts["web"].SetStock(item, 0);
        accounts["food"].SetStock("food-1", 0);
        var sync = new SyncRig(bed, channels);

        // Ten sales of p1, each followed by its request (as the Watcher's would be), and one request for p2.
        for (var stock = 49; stock >= 40; stock--)
        {
            await bed.Db.ExecuteAsync($"UPDATE products SET stock = {stock} WHERE id = 'p1'");
            await bed.HandleAsync(sync.Handler, Tenant, new SyncRequested { ProductId = "p1", Reason = "manual" });
        }
        await bed.HandleAsync(sync.Handler, Tenant, new SyncRequested { ProductId = "p2", Reason = "manual" });
        Assert.Equal(9, sync.Observer.FoldedCount);

        Assert.Equal(1, await sync.DrainAsync());

        Assert.Equal(40, accounts["web"].GetStock("web-1"));
        Assert.Equal(40, accounts["food"].GetStock("food-1"));
        Assert.Equal(9, accounts["web"].GetStock("web-2"));
        Assert.Equal(1, accounts["food"].Calls(ChannelOperations.Push)); // one push for ten requests
        Assert.Equal(1, accounts["web"].Calls(ChannelOperations.Push)); // p1 and p2 in one batch
        Assert.Equal("completed 40 x10", await bed.Db.ScalarAsync<string>(
            "SELECT min(status) || ' ' || min(quantity) || ' x' || count(*) FROM sync_events WHERE product_id = 'p1' AND completed_at IS NOT NULL"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_request_arriving_while_its_product_is_being_pushed_is_pushed_after_it()
    {
        await using var bed = await HandlerTestBed.StartAsync(Tenant);
        await using var channels = await ChannelHarness.StartAsync();
        var accounts = await SimulatedChannels.AddAsync(bed.Db, channels.Simulator, Tenant, ("web", ChannelTypes.Wix));
        await Catalog.SeedAsync(bed.Db, Tenant, [], [new("p1", 20)], [new("p1", "web", "web-1")]);
        accounts["web"].SetStock("web-1", 0);
        var sync = new SyncRig(bed, channels);
        await bed.HandleAsync(sync.Handler, Tenant, new SyncRequested { ProductId = "p1", Reason = "manual" });
        var claimed = await sync.ClaimAsync();
        var read = await sync.Pusher.ReadAsync(Tenant, claimed, CancellationToken.None); // reads 20

        // A sale and its request land after the pass read the level: the pass must not end the product's wait.
        await bed.Db.ExecuteAsync("UPDATE products SET stock = 17 WHERE id = 'p1'");
        await bed.HandleAsync(sync.Handler, Tenant, new SyncRequested { ProductId = "p1", Reason = "manual" });
        Assert.Empty(await sync.ClaimAsync()); // leased: no second pusher takes it meanwhile
        await sync.Pusher.RecordAsync(read, await sync.Pusher.CallAsync(read, CancellationToken.None), CancellationToken.None);
        Assert.Equal(20, accounts["web"].GetStock("web-1"));
        Assert.Equal(1L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_pending WHERE lease_until IS NULL"));

        await sync.DrainAsync();
        Assert.Equal(17, accounts["web"].GetStock("web-1"));
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_pending"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_pusher_that_dies_holding_a_claim_gives_it_up_when_its_lease_ends()
    {
        await using var bed = await HandlerTestBed.StartAsync(Tenant);
        await using var channels = await ChannelHarness.StartAsync();
        var accounts = await SimulatedChannels.AddAsync(bed.Db, channels.Simulator, Tenant, ("web", ChannelTypes.Wix));
        await Catalog.SeedAsync(bed.Db, Tenant, [], [new("p1", 5)], [new("p1", "web", "web-1")]);
        accounts["web"].SetStock("web-1", 0);
        var sync = new SyncRig(bed, channels);
        await bed.HandleAsync(sync.Handler, Tenant, new SyncRequested { ProductId = "p1", Reason = "manual" });

        Assert.Single(await sync.ClaimAsync(lease: TimeSpan.FromSeconds(1))); // ... and the pusher is killed
        Assert.Empty(await sync.ClaimAsync());
        var reclaimed = await Eventually.WaitAsync(() => sync.ClaimAsync(), c => c.Count == 1, TimeSpan.FromSeconds(20), "the lease to end");
        await sync.PushAsync(reclaimed);

        Assert.Equal(5, accounts["web"].GetStock("web-1"));
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_pending"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Claims_share_out_fairly_across_tenants_and_skip_tenants_already_pushing()
    {
        await using var bed = await HandlerTestBed.StartAsync("loud", "quiet", "busy");
        await using var channels = await ChannelHarness.StartAsync();
        var sync = new SyncRig(bed, channels);
        foreach (var tenant in new[] { "loud", "quiet", "busy" })
            await Catalog.SeedAsync(bed.Db, tenant, [], Enumerable.Range(0, tenant == "loud" ? 30 : 2).Select(i => new Catalog.Product($"p{i}", 1)), []);
        for (var i = 0; i < 30; i++) await bed.HandleAsync(sync.Handler, "loud", new SyncRequested { ProductId = $"p{i}", Reason = "manual" });
        foreach (var tenant in new[] { "quiet", "busy" })
            for (var i = 0; i < 2; i++) await bed.HandleAsync(sync.Handler, tenant, new SyncRequested { ProductId = $"p{i}", Reason = "manual" });

        var claimed = await PendingSyncs.ClaimAsync(bed.Db.Owner, perTenant: 5, limit: 100, TimeSpan.FromMinutes(1), ["busy"], CancellationToken.None);

        Assert.Equal(new Dictionary<string, int> { ["loud"] = 5, ["quiet"] = 2 },
            claimed.GroupBy(c => c.TenantId).ToDictionary(g => g.Key, g => g.Count()));
    }

    [Fact(Timeout = 60_000)]
    public async Task One_pass_serves_several_tenants_each_bound_to_its_own_rows()
    {
        await using var bed = await HandlerTestBed.StartAsync("north", "south");
        await using var channels = await ChannelHarness.StartAsync();
        var sync = new SyncRig(bed, channels);
        var accounts = await RequestP1OfNorthAndSouthAsync(bed, channels, sync, ("web", ChannelTypes.Wix));

        var claimed = await sync.ClaimAsync();
        Assert.Equal(["north", "south"], claimed.Select(c => c.TenantId).Order());
        await sync.PushAsync(claimed); // one pass, one read and one record transaction for both

        Assert.Equal(4, accounts["north"]["web"].GetStock("web-1"));
        Assert.Equal(9, accounts["south"]["web"].GetStock("web-1"));
        Assert.Equal("north 4 completed, south 9 completed", await bed.Db.ScalarAsync<string>(
            "SELECT string_agg(tenant_id || ' ' || quantity || ' ' || status, ', ' ORDER BY tenant_id) FROM sync_events"));
        Assert.Equal("north 4, south 9", await bed.Db.ScalarAsync<string>(
            "SELECT string_agg(tenant_id || ' ' || channel_stock, ', ' ORDER BY tenant_id) FROM product_channel_mappings"));
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_pending"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_pass_stores_a_channel_status_change_under_the_tenant_it_belongs_to_whatever_its_place_in_the_pass()
    {
        // The pass reads every tenant in one round trip, ending bound to the last; "north" comes first.
        await using var bed = await HandlerTestBed.StartAsync("north", "south");
        await using var channels = await ChannelHarness.StartAsync();
        var sync = new SyncRig(bed, channels);
        var accounts = await RequestP1OfNorthAndSouthAsync(bed, channels, sync, ("web", ChannelTypes.Wix), ("food", ChannelTypes.Deliveroo));
        await bed.Db.ExecuteAsync("UPDATE channels SET base_url = 'not a url' WHERE tenant_id = 'north' AND id = 'food'");

        await sync.PushAsync(await sync.ClaimAsync());

        Assert.Equal("north/food misconfigured, north/web active, south/food active, south/web active", await bed.Db.ScalarAsync<string>(
            "SELECT string_agg(tenant_id || '/' || id || ' ' || status, ', ' ORDER BY tenant_id, id) FROM channels"));
        Assert.Equal("north partial, south completed", await bed.Db.ScalarAsync<string>(
            "SELECT string_agg(tenant_id || ' ' || status, ', ' ORDER BY tenant_id) FROM sync_events"));
        Assert.Equal("north food", await bed.Db.ScalarAsync<string>(
            "SELECT string_agg(tenant_id || ' ' || split_part(event_id, '.channel-status.', 2), ', ') FROM outbox WHERE event_id LIKE '%.channel-status.%'"));
        Assert.Equal(4, accounts["north"]["web"].GetStock("web-1"));
        Assert.Equal(9, accounts["south"]["web"].GetStock("web-1"));
    }

    // Tenants "north" (stock 4) and "south" (stock 9), each with product p1 on every channel given (item
    // "<channel>-1", showing 0) and a sync requested for it. The same product and item ids in both
    // tenants: only the binding tells their rows apart. Returns each tenant's accounts by channel.
    private static async Task<Dictionary<string, Dictionary<string, SimulatedAccount>>> RequestP1OfNorthAndSouthAsync(HandlerTestBed bed,
        ChannelHarness channels, SyncRig sync, params (string Id, string Type)[] tenantChannels)
    {
        var accounts = new Dictionary<string, Dictionary<string, SimulatedAccount>>();
        foreach (var (tenant, stock) in new[] { ("north", 4), ("south", 9) })
        {
            accounts[tenant] = await SimulatedChannels.AddAsync(bed.Db, channels.Simulator, tenant, tenantChannels);
            foreach (var (id, _) in tenantChannels) accounts[tenant][id].SetStock($"{id}-1", 0);
            await Catalog.SeedAsync(bed.Db, tenant, [], [new("p1", stock)], [.. tenantChannels.Select(ch => new Catalog.Mapping("p1", ch.Id, $"{ch.Id}-1"))]);
            await bed.HandleAsync(sync.Handler, tenant, new SyncRequested { ProductId = "p1", Reason = "manual" });
        }
        return accounts;
    }

    [Fact(Timeout = 60_000)]
    public async Task The_channels_are_called_with_no_transaction_open()
    {
        await using var bed = await HandlerTestBed.StartAsync(Tenant);
        await using var channels = await ChannelHarness.StartAsync();
        var accounts = await SimulatedChannels.AddAsync(bed.Db, channels.Simulator, Tenant, ("pos", ChannelTypes.EposNow), ("web", ChannelTypes.Wix));
        await Catalog.SeedAsync(bed.Db, Tenant, [], [new("p1", 7)], [new("p1", "pos", "pos-1"), new("p1", "web", "web-1")]);
        accounts["web"].SetStock("web-1", 9); // what it showed before the sale
        accounts["web"].Faults = new SimulatedFaults { LatencyMs = 1_500 }; // a slow channel
        var sync = new SyncRig(bed, channels);
        await bed.HandleAsync(sync.Handler, Tenant, new SyncRequested { ProductId = "p1", OriginChannelId = "pos", Reason = "manual" });

        // While the pass waits on web, the app role's sessions are sampled: none may sit idle in a transaction.
        await using var idle = bed.Db.App.CreateCommand("""
            SELECT coalesce(max(extract(epoch FROM now() - state_change)), 0)::float8 FROM pg_stat_activity
            WHERE datname = current_database() AND usename = current_user AND state LIKE 'idle in transaction%'
            """);
        var pushing = sync.DrainAsync();
        var longestIdle = 0.0;
        while (!pushing.IsCompleted)
        {
            longestIdle = Math.Max(longestIdle, (double)(await idle.ExecuteScalarAsync())!);
            await Task.WhenAny(pushing, Task.Delay(100));
        }
        await pushing;

        Assert.Equal(7, accounts["web"].GetStock("web-1"));
        Assert.True(longestIdle < 1.0, $"a transaction sat idle for {longestIdle:F1} s while a channel answered");
        Assert.Equal("completed 7", await bed.Db.ScalarAsync<string>("SELECT status || ' ' || quantity FROM sync_events"));
    }
}
