using Fairlane.Agents.Alerting;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
using Fairlane.Agents.Sync;
using Fairlane.Agents.Watcher;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Bus;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Tenants;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Tests.Agents.Handlers;

/// <summary>
/// What a handler test calls a handler with, the way the pipeline does but without Kafka: a database
/// of its own, the real Redis event bus and tenant notices under a key prefix of its own, and a
/// tenant-bound transaction per event. The payload goes through the event catalogue (encoded into an
/// envelope and decoded back), as intake would hand it over.
/// </summary>
internal sealed class HandlerTestBed : IAsyncDisposable
{
    private readonly RedisNodes _redis;

    private HandlerTestBed(TestDatabase db, RedisNodes redis, IOptions<RedisOptions> redisOptions)
    {
        Db = db;
        Tenants = new TenantDatabase(db.App);
        _redis = redis;
        Bus = new RedisEventBus(redis, redisOptions, NullLogger<RedisEventBus>.Instance);
        TenantNotices = new TenantChangeNotices(redis, redisOptions, NullLogger<TenantChangeNotices>.Instance);
        Alerts = new AlertStore(Bus);
    }

    public TestDatabase Db { get; }
    public TenantDatabase Tenants { get; }
    public RedisEventBus Bus { get; }
    public TenantChangeNotices TenantNotices { get; }
    public AlertStore Alerts { get; }

    /// <summary>A bed with <paramref name="tenants"/> registered (active).</summary>
    public static async Task<HandlerTestBed> StartAsync(params string[] tenants)
    {
        var db = await TestDatabase.CreateAsync();
        if (tenants.Length > 0) await db.RegisterTenantsAsync(tenants);
        var options = Options.Create(new RedisOptions
        {
            Endpoints = TestServers.RedisPorts.Select(port => $"127.0.0.1:{port}").ToList(),
            KeyPrefix = TestServers.UniqueName("flhandler") + ":",
        });
        return new HandlerTestBed(db, new RedisNodes(options), options);
    }

    /// <summary>
    /// Prepares (no transaction open) and handles one event of <paramref name="tenant"/> in a tenant-bound
    /// transaction that commits, then runs the work the handler left for after the commit.
    /// </summary>
    public async Task<Handled> HandleAsync<TPayload>(IEventHandler<TPayload> handler, string tenant, TPayload payload, string? id = null,
        DateTimeOffset? occurredAt = null) where TPayload : class
    {
        var envelope = Typed(tenant, payload, id, occurredAt);
        var (outcomes, afterCommit) = await RunAsync(handler, tenant, [envelope]);
        return new Handled(envelope.Id, outcomes[0], afterCommit);
    }

    /// <summary>
    /// Handles <paramref name="envelopes"/> of one tenant as one run, in one transaction, the way the
    /// pipeline's handler step does: each prepared first, the handler's run locks taken, each handled in
    /// order, the writes held back to the run's end written, the commit, then the after-commit work.
    /// Returns each event's outcome and how much after-commit work there was.
    /// </summary>
    public async Task<(IReadOnlyList<Outcome> Outcomes, int AfterCommit)> RunAsync(IEventHandler handler, string tenant,
        IReadOnlyList<TypedEnvelope> envelopes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var prepared = new List<object?>();
        foreach (var envelope in envelopes) prepared.Add(await handler.PrepareAsync(envelope, tenant, timeout.Token));
        var afterCommit = new List<Func<CancellationToken, Task>>();
        var outcomes = await Tenants.InTenantTransactionAsync(tenant, async (c, tx, ct) =>
        {
            var beforeCommit = new List<Func<CancellationToken, Task>>();
            var state = new Dictionary<string, object>(StringComparer.Ordinal);
            HandlerContext ContextFor(int i) => new(c, tx, tenant, OriginOf(envelopes[i]))
            {
                AfterCommit = afterCommit, BeforeCommit = beforeCommit, TransactionState = state, Prepared = prepared[i],
            };
            if (handler is IRunLocker locker) await locker.LockAsync(envelopes, ContextFor(0), ct);
            var outcomes = new List<Outcome>();
            for (var i = 0; i < envelopes.Count; i++) outcomes.Add(await handler.HandleAsync(envelopes[i], ContextFor(i), ct));
            foreach (var write in beforeCommit) await write(ct);
            return outcomes;
        }, timeout.Token);
        foreach (var action in afterCommit) await action(timeout.Token);
        return (outcomes, afterCommit.Count);
    }

    /// <summary>A Watcher handing its changes to Sync as <paramref name="handoff"/> says, reporting folds to <paramref name="observer"/>.</summary>
    public WatcherHandler Watcher(SyncHandoff handoff = SyncHandoff.Direct, ISyncObserver? observer = null) =>
        new(Alerts, new WatcherSyncHandoff(new SyncPushOptions { Handoff = handoff, Debounce = TimeSpan.Zero }, new SyncSignal(),
            observer ?? new CountingSyncObserver()));

    /// <summary>An event of <paramref name="tenant"/> as intake hands it over (through the catalogue and back).</summary>
    public static TypedEnvelope<TPayload> Typed<TPayload>(string tenant, TPayload payload, string? id = null, DateTimeOffset? occurredAt = null)
        where TPayload : class
    {
        var definition = EventCatalog.Of<TPayload>();
        return definition.Decode(definition.Create(tenant, payload, id, occurredAt));
    }

    /// <summary>The outbox rows of a tenant, in the order written, decoded back through the catalogue.</summary>
    public async Task<List<(string Topic, TypedEnvelope Event)>> OutboxAsync(string tenant)
    {
        var rows = new List<(string, TypedEnvelope)>();
        await using var cmd = Db.Owner.CreateCommand("SELECT topic, value FROM outbox WHERE tenant_id = $1 ORDER BY id");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tenant });
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var decoded = EnvelopeCodec.Decode(tenant, reader.GetFieldValue<byte[]>(1));
            Assert.True(EventCatalog.TryDecode(decoded.Envelope!, out var typed, out var error), error);
            rows.Add((reader.GetString(0), typed));
        }
        return rows;
    }

    private static EventOrigin OriginOf(TypedEnvelope envelope) => new(new Topics().For(envelope.Definition.Topic), 0, 0, null);

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        await Db.DisposeAsync();
    }
}

/// <summary>How one handled event ended, and how much work it left for after its commit.</summary>
internal sealed record Handled(string EventId, Outcome Outcome, int AfterCommit);
