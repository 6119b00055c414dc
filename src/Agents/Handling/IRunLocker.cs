using Fairlane.Contracts.Events;

namespace Fairlane.Agents.Handling;

/// <summary>
/// A handler whose events lock rows: it takes all the locks of its events in a run first, together and
/// in one global order, before the first of them is handled (the pipeline calls it for every run, a run
/// of one too, so a handler may read what it locked here and keep it for the run). Runs of one tenant then never
/// wait on each other in a cycle, which PostgreSQL would break only after its deadlock timeout (a
/// second), rolling one run back to be retried.
/// </summary>
public interface IRunLocker
{
    /// <summary>Locks what handling <paramref name="envelopes"/> (the run's events of this handler, in order) will lock.</summary>
    Task LockAsync(IReadOnlyList<TypedEnvelope> envelopes, HandlerContext context, CancellationToken cancellationToken);
}
