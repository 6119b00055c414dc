using Fairlane.Agents.Handling;
using Fairlane.Worker.Engine;
using Npgsql;
using Fairlane.Agents.Tenants;

namespace Fairlane.Worker.Pipeline;

/// <summary>
/// A run of one tenant's events on its way through the pipeline (a single event is a run of one):
/// what the steps learn about it and each event's outcome so far (null until a step decides it).
/// </summary>
internal sealed class PipelineRun(IReadOnlyList<EngineEvent> events)
{
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;

    public IReadOnlyList<EngineEvent> Events => events;

    public string TenantId => events[0].Tenant;

    /// <summary>What each handler prepared before the transaction opened.</summary>
    public object?[] Prepared { get; } = new object?[events.Count];

    public Outcome?[] Outcomes { get; } = new Outcome?[events.Count];

    /// <summary>The tenant's row as the transaction read it; null when it is not registered.</summary>
    public TenantRecord? Tenant { get; set; }

    /// <summary>The ids of the run's events its transaction recorded in the ledger first (the others are duplicates).</summary>
    public HashSet<string> Fresh { get; set; } = [];

    /// <summary>Writes the run's handlers held back to its end (see <see cref="HandlerContext.BeforeCommit"/>).</summary>
    public List<Func<CancellationToken, Task>> BeforeCommit { get; } = [];

    /// <summary>Notices to send once the transaction has committed.</summary>
    public List<Func<CancellationToken, Task>> AfterCommit { get; } = [];

    /// <summary>What the run's handlers learnt in its transaction and may reuse (one run, one transaction).</summary>
    public Dictionary<string, object> TransactionState { get; } = new(StringComparer.Ordinal);

    public NpgsqlConnection Connection => _connection ?? throw new InvalidOperationException("The run's transaction is not open.");

    public NpgsqlTransaction Transaction => _transaction ?? throw new InvalidOperationException("The run's transaction is not open.");

    /// <summary>How many of its events a handler has processed (not duplicates).</summary>
    public int Handled => Outcomes.Count(o => o?.Kind == OutcomeKind.Done);

    public void Bind(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>The handler's view of event <paramref name="index"/>: the run's transaction, its state and its notices.</summary>
    public HandlerContext ContextFor(int index) => new(Connection, Transaction, TenantId, events[index].Origin())
    {
        AfterCommit = AfterCommit,
        BeforeCommit = BeforeCommit,
        TransactionState = TransactionState,
        Prepared = Prepared[index],
    };

    /// <summary>The run failed as a unit (its transaction rolled back, if it opened): every event ends so.</summary>
    public IReadOnlyList<Outcome> FailedWith(Outcome failure) => Enumerable.Repeat(failure, events.Count).ToList();

    public IReadOnlyList<Outcome> Completed() =>
        Outcomes.Select(o => o ?? throw new InvalidOperationException("The pipeline ended without an outcome for an event.")).ToList();
}
