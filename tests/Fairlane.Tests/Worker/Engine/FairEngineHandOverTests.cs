using Fairlane.Agents.Handling;
using Fairlane.Contracts.Events;
using Fairlane.Partitioning.Offsets;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Engine;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Worker.Engine;

/// <summary>
/// The engine's hand-over and park rules, driven directly (no I/O): what a revoke's grace wait lets in,
/// and what a park write below loaded events does to them.
/// </summary>
public sealed class FairEngineHandOverTests
{
    private const string Tenant = "acme";
    private static readonly PartitionKey P = new("t.webhooks", 0);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private sealed class NoOpHandler : IEventHandler<StockChanged>
    {
        public string Agent => "watcher";
        public Task<Outcome> HandleAsync(TypedEnvelope<StockChanged> envelope, HandlerContext context, CancellationToken cancellationToken) =>
            Task.FromResult(Outcome.Done);
    }

    private static FairEngine NewEngine() => new(Options.Create(new EngineOptions { TenantQueueDepth = 100 }), TimeProvider.System);

    private static EngineEvent Event(long offset, Assignment? assignment = null, long? parkId = null)
    {
        var envelope = EventCatalog.StockChanged.Decode(EventCatalog.StockChanged.Create(Tenant,
            new StockChanged { ChannelType = "wix", ChannelId = "wix-main", ExternalId = "item-1", Delta = -1 }));
        return new EngineEvent
        {
            Partition = P, Offset = offset, Assignment = assignment, ParkId = parkId, Key = Tenant, Value = [],
            Headers = [], Envelope = envelope, Handler = new NoOpHandler(),
        };
    }

    private static Assignment Owned(FairEngine engine, params (string Tenant, long HighestOffset)[] parked)
    {
        var assignment = engine.Assign(P);
        engine.PartitionParkRead(assignment, parked);
        return assignment;
    }

    [Fact(Timeout = 30_000)]
    public async Task An_event_retried_during_the_revoke_grace_wait_is_abandoned_not_queued_again()
    {
        // Regression: a retry during the wait put the event back in the queue of a partition about to be
        // released, and this node ran it after the next owner had it.
        var engine = NewEngine();
        var assignment = Owned(engine);
        foreach (var offset in new long[] { 0, 1 })
        {
            Assert.Equal(assignment, engine.Track(P, offset, 10, out _));
            Assert.Null(engine.Admit(Event(offset, assignment)));
        }
        var running = Assert.Single(await engine.TakeAsync(1, CancellationToken.None)); // offset 0 in flight, 1 queued

        var drain = Task.Run(() => engine.Drain([P], TimeSpan.FromSeconds(20)));
        // The revoke drops what is queued at once; the in-flight event keeps it waiting.
        await Eventually.WaitAsync(() => engine.TenantState(Tenant).Queued == 0, Deadline, "the queued event dropped");
        engine.Retry(running, TimeSpan.FromMilliseconds(1), TimeSpan.Zero);

        var commits = await drain.WaitAsync(Deadline);
        Assert.Equal(0, engine.TenantState(Tenant).Queued);
        Assert.Equal([(P, 0L)], commits); // neither offset completed: the next owner gets both
    }

    [Fact]
    public void A_park_load_that_returns_while_its_partition_is_handed_over_is_dropped()
    {
        var engine = NewEngine();
        var assignment = Owned(engine, (Tenant, 9));
        engine.IntakeReachedEnd(P, 100);
        var (request, loadedFor) = Assert.Single(engine.StartDrains());

        engine.Drain([P], TimeSpan.Zero); // nothing in flight: returns at once, the partition not yet released
        engine.Loaded(request, loadedFor, rows: 2, throughOffset: 9, [Event(8, parkId: 1), Event(9, parkId: 2)]);

        Assert.Equal(0, engine.TenantState(Tenant).Queued);
        Assert.Empty(engine.StartDrains()); // and nothing more is loaded for it
    }

    [Fact]
    public void A_park_write_below_loaded_events_puts_them_back_so_they_run_after_it()
    {
        // Regression: loaded events ran before an older event parked behind them, which the Watcher then
        // dropped as stale.
        var engine = NewEngine();
        var assignment = Owned(engine, (Tenant, 19));
        engine.IntakeReachedEnd(P, 20);
        var (request, loadedFor) = Assert.Single(engine.StartDrains());
        engine.Loaded(request, loadedFor, rows: request.Limit, throughOffset: 19,
            Enumerable.Range(10, 10).Select(o => Event(o, parkId: o)).ToList());
        Assert.Equal(10, engine.TenantState(Tenant).Queued);

        // Offset 5 arrives now (a re-delivery) and must park behind nothing: it goes before them.
        Assert.Equal(assignment, engine.Track(P, 5, 10, out _));
        Assert.NotNull(engine.Admit(Event(5, assignment)));

        Assert.Equal(0, engine.TenantState(Tenant).Queued);
    }
}
