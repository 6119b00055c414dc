using Fairlane.ChannelSimulator;
using Fairlane.Agents.Handling;
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
        var sync = new SyncHandler(bed.Tenants, new ChannelStore(CredentialProtector.FromBase64(TestServers.CredentialKey)), channels.Adapters, bed.Bus,
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
        var sync = new SyncHandler(bed.Tenants, new ChannelStore(CredentialProtector.FromBase64(TestServers.CredentialKey)), channels.Adapters, bed.Bus,
            NullLogger<SyncHandler>.Instance);

        var handled = await bed.HandleAsync(sync, Tenant, new SyncRequested { ProductId = "ghost", Reason = "manual" });

        Assert.Equal("product 'ghost' does not exist", handled.Outcome.Detail);
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_events"));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_channels_are_called_before_the_events_transaction_opens_and_no_transaction_waits_on_them()
    {
        await using var bed = await HandlerTestBed.StartAsync(Tenant);
        await using var channels = await ChannelHarness.StartAsync();
        var accounts = await SimulatedChannels.AddAsync(bed.Db, channels.Simulator, Tenant, ("pos", ChannelTypes.EposNow), ("web", ChannelTypes.Wix));
        await Catalog.SeedAsync(bed.Db, Tenant, [], [new("p1", 7)], [new("p1", "pos", "pos-1"), new("p1", "web", "web-1")]);
        accounts["web"].SetStock("web-1", 9); // what it showed before the sale
        accounts["web"].Faults = new SimulatedFaults { LatencyMs = 1_500 }; // a slow channel
        var sync = new SyncHandler(bed.Tenants, new ChannelStore(CredentialProtector.FromBase64(TestServers.CredentialKey)), channels.Adapters, bed.Bus,
            NullLogger<SyncHandler>.Instance);
        var envelope = EventCatalog.SyncRequested.Decode(EventCatalog.SyncRequested.Create(Tenant,
            new SyncRequested { ProductId = "p1", OriginChannelId = "pos", Reason = "manual" }));

        // Only the preparation runs, as the pipeline runs it: with no transaction of the event's open.
        // Meanwhile the app role's sessions are sampled: none may sit idle in a transaction while web answers.
        await using var idle = bed.Db.App.CreateCommand("""
            SELECT coalesce(max(extract(epoch FROM now() - state_change)), 0)::float8 FROM pg_stat_activity
            WHERE datname = current_database() AND usename = current_user AND state LIKE 'idle in transaction%'
            """);
        var preparing = sync.PrepareAsync(envelope, Tenant, CancellationToken.None);
        var longestIdle = 0.0;
        while (!preparing.IsCompleted)
        {
            longestIdle = Math.Max(longestIdle, (double)(await idle.ExecuteScalarAsync())!);
            await Task.WhenAny(preparing, Task.Delay(100));
        }
        var prepared = await preparing;

        Assert.Equal(7, accounts["web"].GetStock("web-1")); // pushed during the preparation
        Assert.True(longestIdle < 1.0, $"a transaction sat idle for {longestIdle:F1} s while a channel answered");
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_events WHERE status <> 'pending'")); // nothing recorded yet

        // The event's transaction records what the channels answered, and calls none of them again.
        var pushes = accounts["web"].Calls(ChannelOperations.Push);
        var outcome = await bed.Tenants.InTenantTransactionAsync(Tenant, (c, tx, ct) => sync.HandleAsync(envelope,
            new HandlerContext(c, tx, Tenant, new EventOrigin("t.sync", 0, 0, null)) { Prepared = prepared }, ct), CancellationToken.None);
        Assert.True(outcome.Completed);
        Assert.Equal(pushes, accounts["web"].Calls(ChannelOperations.Push));
        Assert.Equal("completed 7", await bed.Db.ScalarAsync<string>($"SELECT status || ' ' || quantity FROM sync_events WHERE source_event_id = '{envelope.Id}'"));
    }
}
