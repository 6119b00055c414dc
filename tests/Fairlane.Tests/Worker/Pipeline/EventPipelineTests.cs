using Fairlane.Agents.Alerting;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Partitioning.Offsets;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Bus;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Pipeline;
using Fairlane.Worker.Tenants;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Tests.Worker.Pipeline;

/// <summary>
/// The pipeline's chain driven directly against PostgreSQL: what a run does with duplicates and with a
/// handler that dead-letters one of its events.
/// </summary>
public sealed class EventPipelineTests : IAsyncLifetime
{
    private const string Tenant = "acme";
    private static readonly PartitionKey P = new("t.webhooks", 0);
    private TestDatabase _db = null!;
    private RedisNodes _redis = null!;

    /// <summary>Counts its calls; dead-letters the events whose id it is told to refuse.</summary>
    private sealed class CountingHandler(params string[] refuse) : IEventHandler<StockChanged>
    {
        public List<string> Handled { get; } = [];
        public string Agent => "watcher";

        public Task<Outcome> HandleAsync(TypedEnvelope<StockChanged> envelope, HandlerContext context, CancellationToken cancellationToken)
        {
            Handled.Add(envelope.Id);
            return Task.FromResult(refuse.Contains(envelope.Id) ? Outcome.Permanent($"{envelope.Id} is refused") : Outcome.Done);
        }
    }

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.RegisterTenantsAsync([Tenant]);
        _redis = new RedisNodes(Options.Create(new RedisOptions { Endpoints = [$"127.0.0.1:{TestServers.RedisPorts[0]}"] }));
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _db.DisposeAsync();
    }

    private EventPipeline NewPipeline()
    {
        var redisOptions = Options.Create(new RedisOptions { Endpoints = [.. _redis.Endpoints], KeyPrefix = TestServers.UniqueName("pl") + ":" });
        return new EventPipeline(new TenantDatabase(_db.App),
            new AlertStore(new RedisEventBus(_redis, redisOptions, NullLogger<RedisEventBus>.Instance)),
            new TenantChangeNotices(_redis, redisOptions, NullLogger<TenantChangeNotices>.Instance),
            Options.Create(new EngineOptions()), NullLogger<EventPipeline>.Instance);
    }

    private static EngineEvent Event(string id, long offset, IEventHandler handler) => new()
    {
        Partition = P, Offset = offset, Key = Tenant, Value = [], Headers = [], Handler = handler,
        Envelope = EventCatalog.StockChanged.Decode(EnvelopeCodec.Create(Tenant, EventTypes.StockChanged,
            new StockChanged { ChannelType = "wix", ChannelId = "wix-main", ExternalId = "item-1", Delta = -1 },
            FairlaneJsonContext.Default.StockChanged) with { Id = id }),
    };

    private Task<long> LedgerRowsAsync() => _db.ScalarAsync<long>($"SELECT count(*) FROM processed_events WHERE tenant_id = '{Tenant}'");

    [Fact(Timeout = 60_000)]
    public async Task A_duplicate_in_a_run_is_skipped_without_calling_its_handler()
    {
        var pipeline = NewPipeline();
        var handler = new CountingHandler();
        Assert.Equal([OutcomeKind.Done], (await pipeline.ProcessAsync([Event("e1", 0, handler)], CancellationToken.None)).Select(o => o.Kind));

        // e1 again (re-delivered), e2, and a second copy of e2 in the same run.
        var outcomes = await pipeline.ProcessAsync([Event("e1", 0, handler), Event("e2", 1, handler), Event("e2", 2, handler)], CancellationToken.None);

        Assert.Equal([OutcomeKind.Duplicate, OutcomeKind.Done, OutcomeKind.Duplicate], outcomes.Select(o => o.Kind));
        Assert.Equal(["e1", "e2"], handler.Handled); // the effect: each event's handler ran once
    }

    [Fact(Timeout = 60_000)]
    public async Task A_dead_letter_from_a_handler_rolls_its_run_back_and_alone_only_that_event_is_dead_lettered()
    {
        var pipeline = NewPipeline();
        var handler = new CountingHandler(refuse: "e2");
        var run = new[] { Event("e1", 0, handler), Event("e2", 1, handler), Event("e3", 2, handler) };

        var outcomes = await pipeline.ProcessAsync(run, CancellationToken.None);

        // The run failed as a unit: e1's ledger row (and any effect) rolled back with it; e3 was never reached.
        Assert.All(outcomes, o => Assert.Equal(OutcomeKind.DeadLetter, o.Kind));
        Assert.Equal(["e1", "e2"], handler.Handled);
        Assert.Equal(0, await LedgerRowsAsync());

        // Run one by one, as the dispatcher isolates a failed run: only e2 is a dead letter, with the handler's reason.
        var alone = new List<Outcome>();
        foreach (var e in run) alone.Add((await pipeline.ProcessAsync([e], CancellationToken.None)).Single());
        Assert.Equal([OutcomeKind.Done, OutcomeKind.DeadLetter, OutcomeKind.Done], alone.Select(o => o.Kind));
        Assert.Equal(DeadLetterReasons.PermanentFailure, alone[1].Reason);
        Assert.Equal("e2 is refused", alone[1].Detail);
        Assert.Equal(2, await LedgerRowsAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unregistered_tenants_event_is_a_dead_letter_and_its_handler_is_not_called()
    {
        var pipeline = NewPipeline();
        var handler = new CountingHandler();
        var ghost = new EngineEvent
        {
            Partition = P, Offset = 0, Key = "ghost", Value = [], Headers = [], Handler = handler,
            Envelope = EventCatalog.StockChanged.Decode(EnvelopeCodec.Create("ghost", EventTypes.StockChanged,
                new StockChanged { ChannelType = "wix", ChannelId = "wix-main", ExternalId = "item-1", Delta = -1 },
                FairlaneJsonContext.Default.StockChanged) with { Id = "e1" }),
        };

        var outcome = (await pipeline.ProcessAsync([ghost], CancellationToken.None)).Single();

        Assert.Equal(OutcomeKind.DeadLetter, outcome.Kind);
        Assert.Equal(DeadLetterReasons.UnknownTenant, outcome.Reason);
        Assert.Empty(handler.Handled);
    }
}
