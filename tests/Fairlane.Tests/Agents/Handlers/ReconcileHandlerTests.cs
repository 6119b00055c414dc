using Fairlane.Partitioning.Offsets;
using Fairlane.Worker.Engine;
using Fairlane.Worker.DeadLetters;
using Fairlane.Agents.Alerting;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Guardian;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Agents.Channels;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Guardian;
using Microsoft.Extensions.Logging.Abstractions;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Agents.Handlers;

/// <summary>
/// The Guardian's reconcile handler called directly with typed jobs: it reads the channel simulator
/// while preparing, then compares, repairs and alerts in the job's fenced transaction.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReconcileHandlerTests
{
    private const string Tenant = "chandler";
    private const long Epoch = 4;

    private sealed record Shop(HandlerTestBed Bed, ChannelHarness Channels, ReconcileHandler Handler, Guid RunId) : IAsyncDisposable
    {
        public static async Task<Shop> OpenAsync()
        {
            var bed = await HandlerTestBed.StartAsync(Tenant);
            var channels = await ChannelHarness.StartAsync();
            var pos = (await SimulatedChannels.AddAsync(bed.Db, channels.Simulator, Tenant, ("pos", ChannelTypes.EposNow)))["pos"];
            await Catalog.SeedAsync(bed.Db, Tenant, [], [new("p1", 10), new("p2", 20)], [new("p1", "pos", "pos-1"), new("p2", "pos", "pos-2")]);
            pos.SetStock("pos-1", 8);  // drift -2: within the threshold, repaired
            pos.SetStock("pos-2", 40); // drift +20: over it, alerted
            var runId = Guid.NewGuid();
            await bed.Db.ExecuteAsync($"UPDATE leadership SET epoch = {Epoch} WHERE job = 'guardian'");
            await bed.Db.ExecuteAsync($"INSERT INTO guardian_runs (id, epoch, node, tenants) VALUES ('{runId}', {Epoch}, 'test', 1)");
            var handler = new ReconcileHandler(bed.Tenants, new ChannelStore(CredentialProtector.FromBase64(TestServers.CredentialKey)),
                channels.Adapters, bed.Alerts, new GuardianMetricsObserver(), NullLogger<ReconcileHandler>.Instance);
            return new Shop(bed, channels, handler, runId);
        }

        public ReconcileTenant Job(long epoch = Epoch) => new() { RunId = RunId, Epoch = epoch, DriftThreshold = 5 };

        public Task<string> RunRowAsync() => Bed.Db.ScalarAsync<string>(
            $"SELECT tenants_done || ' ' || tenants_failed || ' ' || checks || ' ' || repairs || ' ' || alerts FROM guardian_runs WHERE id = '{RunId}'");

        public async ValueTask DisposeAsync()
        {
            await Channels.DisposeAsync();
            await Bed.DisposeAsync();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_job_repairs_small_drift_through_the_sync_topic_alerts_on_large_drift_and_counts_on_its_run()
    {
        await using var shop = await Shop.OpenAsync();

        var handled = await shop.Bed.HandleAsync(shop.Handler, Tenant, shop.Job());

        Assert.True(handled.Outcome.Completed);
        Assert.Equal("1 0 2 1 1", await shop.RunRowAsync());
        var (topic, emitted) = Assert.Single(await shop.Bed.OutboxAsync(Tenant));
        Assert.Equal("sync", topic);
        Assert.Equal($"{handled.EventId}.repair.p1", emitted.Id);
        Assert.Equal(("p1", "guardian-repair"), (emitted.As<SyncRequested>().Payload.ProductId, emitted.As<SyncRequested>().Payload.Reason));
        Assert.Equal("pos/pos-2", await shop.Bed.Db.ScalarAsync<string>(
            $"SELECT subject FROM alerts WHERE tenant_id = '{Tenant}' AND kind = '{AlertKinds.Drift}' AND status = 'open'"));
        Assert.Equal("8,40", await shop.Bed.Db.ScalarAsync<string>(
            "SELECT string_agg(channel_stock::text, ',' ORDER BY external_id) FROM product_channel_mappings"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_job_of_a_superseded_epoch_writes_nothing()
    {
        await using var shop = await Shop.OpenAsync();

        var handled = await shop.Bed.HandleAsync(shop.Handler, Tenant, shop.Job(epoch: Epoch - 1));

        Assert.True(handled.Outcome.Completed);
        Assert.Equal("0 0 0 0 0", await shop.RunRowAsync());
        Assert.Empty(await shop.Bed.OutboxAsync(Tenant));
        Assert.Equal(0L, await shop.Bed.Db.ScalarAsync<long>("SELECT count(channel_stock) FROM product_channel_mappings"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_dead_lettered_job_counts_its_tenant_failed_once_however_often_it_is_told()
    {
        await using var shop = await Shop.OpenAsync();

        // Told through the dead-letter sink's notice, as a dead letter re-sent after a crash would be.
        var notice = new DeadLetterNotice(shop.Bed.Tenants);
        var job = new EngineEvent
        {
            Partition = new PartitionKey("t.guardian", 0), Offset = 7, Key = Tenant, Value = [], Headers = [], Handler = shop.Handler,
            Envelope = EventCatalog.ReconcileTenant.Decode(EventCatalog.ReconcileTenant.Create(Tenant, shop.Job(), "guardian.job-1")),
        };

        Assert.True(await notice.TellAsync(shop.Handler, job, CancellationToken.None));
        Assert.False(await notice.TellAsync(shop.Handler, job, CancellationToken.None));

        Assert.Equal("0 1 0 0 0", await shop.RunRowAsync());
    }
}
