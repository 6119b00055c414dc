using Fairlane.Contracts.Events;

namespace Fairlane.Agents.Handling;

/// <summary>
/// A handler whose events lock rows: in a run of several of its events it takes all their locks first,
/// together and in one global order, before the first of them is handled. Runs of one tenant then never
/// wait on each other in a cycle, which PostgreSQL would break only after its deadlock timeout (a
/// second), rolling one run back to be retried.
/// </summary>
public interface IRunLocker
{
    /// <summary>Locks what handling <paramref name="envelopes"/> (the run's events of this handler, in order) will lock.</summary>
    Task LockAsync(IReadOnlyList<TypedEnvelope> envelopes, HandlerContext context, CancellationToken cancellationToken);
}
