using Fairlane.Agents.Alerting;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Sync;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Agents.Channels;
using Fairlane.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Agents.Handlers;

/// <summary>The Sync handler called directly with typed sync requests, pushing to the channel simulator over loopback.</summary>
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
        var sync = new SyncHandler(new ChannelStore(CredentialProtector.FromBase64(TestServers.CredentialKey)), channels.Adapters, bed.Bus,
            NullLogger<SyncHandler>.Instance);

        var handled = await bed.HandleAsync(sync, Tenant, new SyncRequested { ProductId = "p1", OriginChannelId = "pos", Reason = "manual" });

        Assert.True(handled.Outcome.Completed);
        Assert.Equal(8, accounts["web"].GetStock("web-1"));
        Assert.Equal(0, accounts["pos"].Calls(ChannelOperations.Push)); // never pushed back to where it came from
        Assert.Equal("partial 8", await bed.Db.ScalarAsync<string>(
            $"SELECT status || ' ' || quantity FROM sync_events WHERE source_event_id = '{handled.EventId}'"));
        Assert.Equal(8, await bed.Db.ScalarAsync<int>("SELECT channel_stock FROM product_channel_mappings WHERE channel_id = 'web'"));
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(channel_stock) FROM product_channel_mappings WHERE channel_id = 'food'"));
        var (topic, emitted) = Assert.Single(await bed.OutboxAsync(Tenant));
        Assert.Equal("alerts", topic);
        Assert.Equal((AlertKinds.All, "food"), (emitted.As<AlertCheck>().Payload.Check, emitted.As<AlertCheck>().Payload.ChannelId));
        Assert.Equal(1, handled.AfterCommit); // the sync.completed notice
    }

    [Fact(Timeout = 60_000)]
    public async Task A_request_for_a_product_that_does_not_exist_is_a_permanent_failure()
    {
        await using var bed = await HandlerTestBed.StartAsync(Tenant);
        await using var channels = await ChannelHarness.StartAsync();
        var sync = new SyncHandler(new ChannelStore(CredentialProtector.FromBase64(TestServers.CredentialKey)), channels.Adapters, bed.Bus,
            NullLogger<SyncHandler>.Instance);

        var handled = await bed.HandleAsync(sync, Tenant, new SyncRequested { ProductId = "ghost", Reason = "manual" });

        Assert.Equal("product 'ghost' does not exist", handled.Outcome.Detail);
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_events"));
    }
}
