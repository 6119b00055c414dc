using Fairlane.Contracts.Events;
using Npgsql;

namespace Fairlane.Agents.Handling;

/// <summary>
/// What a handler gets: the tenant-bound transaction its writes must use (the processed-events
/// ledger row is already in it, so effects and the "done" mark commit together) and where the event
/// came from.
/// </summary>
public sealed record HandlerContext(NpgsqlConnection Connection, NpgsqlTransaction Transaction, string TenantId, EventOrigin Origin)
{
    /// <summary>
    /// Work to run once the transaction has committed, such as event-bus notices. It is never part
    /// of the effect: it runs at most once, best effort, and is dropped if the transaction rolls back.
    /// </summary>
    public List<Func<CancellationToken, Task>> AfterCommit { get; init; } = [];

    /// <summary>
    /// Writes a handler holds back until the run's last event is handled, so a run of many events sends
    /// them together (one round trip, set-based statements) rather than one batch per event. They run in
    /// order, in the transaction, before it commits; a failure rolls the run back like any other.
    /// </summary>
    public List<Func<CancellationToken, Task>> BeforeCommit { get; init; } = [];

    /// <summary>
    /// What handlers learnt in this transaction and may reuse for the rest of it: a run of one
    /// tenant's events shares one transaction, and so this (e.g. "this item is unmapped, its alert is open").
    /// </summary>
    public Dictionary<string, object> TransactionState { get; init; } = new(StringComparer.Ordinal);

    /// <summary>What the handler's <see cref="IEventHandler.PrepareAsync"/> returned for this event, before the transaction opened.</summary>
    public object? Prepared { get; init; }
}

/// <summary>
/// The seam the pipeline calls: an agent's handler for one kind of event, its payload already
/// decoded at intake. Decoding, idempotency, retries, dead-lettering and metrics live in the pipeline
/// around it, once, not in each handler. Handlers implement the typed <see cref="IEventHandler{TPayload}"/>,
/// which bridges to this.
/// </summary>
public interface IEventHandler
{
    /// <summary>The agent's name in metrics and configuration (watcher, sync, guardian, alert).</summary>
    string Agent { get; }

    /// <summary>The event type this handler processes.</summary>
    string EventType { get; }

    /// <summary>
    /// Whether the event's tenant must be registered and not deleted (checked by the pipeline, which
    /// dead-letters the event otherwise). Only tenant lifecycle commands, which may register it, say no;
    /// they also keep running while the tenant is held (paused or over budget), so a resume is never
    /// parked behind the pause it lifts.
    /// </summary>
    bool RequiresRegisteredTenant => true;

    /// <summary>
    /// Whether the tenant's events of this type wait in the park while the tenant is held (paused or
    /// over budget). False for work that must come to an end even then: a held tenant's reconcile job
    /// runs and counts the tenant as failed on its run, rather than keep the run and the Guardian lock
    /// waiting until the run's cap.
    /// </summary>
    bool WaitsWhileTenantHeld => true;

    /// <summary>
    /// Work done before the event's transaction opens, such as reading a remote system: no transaction
    /// may wait on another system (DESIGN §3). Its result reaches <see cref="HandleAsync"/> as
    /// <see cref="HandlerContext.Prepared"/>. It runs again on every attempt, and before the ledger says
    /// whether the event is a duplicate, so whatever it changes must be harmless to repeat (an absolute
    /// stock level pushed again, a channel marked misconfigured again).
    /// </summary>
    Task<object?> PrepareAsync(TypedEnvelope envelope, string tenantId, CancellationToken cancellationToken) => Task.FromResult<object?>(null);

    Task<Outcome> HandleAsync(TypedEnvelope envelope, HandlerContext context, CancellationToken cancellationToken);
}

/// <summary>A handler that must hear when one of its events ends as a dead letter, e.g. to count it as failed.</summary>
public interface IDeadLetterAware
{
    /// <summary>
    /// The event ended as a dead letter (permanent failure or retries exhausted) and will not be
    /// handled. Runs in a transaction of its own bound to the tenant, after the dead letter is
    /// acknowledged, at most once per event: the dead-letter sink marks the event in the
    /// processed-events ledger in the same transaction.
    /// </summary>
    Task DeadLetteredAsync(TypedEnvelope envelope, HandlerContext context, CancellationToken cancellationToken);
}
