using Fairlane.Agents.Handling;

namespace Fairlane.Worker.Pipeline;

/// <summary>
/// Hands each event not yet decided (not a duplicate) to its handler, in order, in the run's
/// transaction; a handler that locks rows (<see cref="IRunLocker"/>) first takes the locks of all its
/// events in the run, in one order, and the writes handlers held back run once the last event is handled
/// (<see cref="HandlerContext.BeforeCommit"/>). A handler that does not finish the event (a dead letter, a retry) stops the run,
/// and with it the transaction: the run's events then run one by one to find the one at fault.
/// </summary>
internal sealed class HandlerStep(TimeSpan artificialDelay) : IPipelineStep
{
    public async Task InvokeAsync(PipelineRun run, RunStep next, CancellationToken cancellationToken)
    {
        // The artificial delay models a slow downstream call: one per transaction with work in it.
        if (artificialDelay > TimeSpan.Zero && run.Outcomes.Any(o => o is null)) await Task.Delay(artificialDelay, cancellationToken);
        var fresh = Enumerable.Range(0, run.Events.Count).Where(i => run.Outcomes[i] is null).ToList();
        foreach (var handler in fresh.GroupBy(i => run.Events[i].Handler))
        {
            if (handler.Key is IRunLocker locker)
                await locker.LockAsync(handler.Select(i => run.Events[i].Envelope).ToList(), run.ContextFor(handler.First()), cancellationToken);
        }
        for (var i = 0; i < run.Events.Count; i++)
        {
            if (run.Outcomes[i] is not null) continue;
            var e = run.Events[i];
            var outcome = await e.Handler.HandleAsync(e.Envelope, run.ContextFor(i), cancellationToken);
            if (!outcome.Completed) throw PipelineErrors.RunFailed(outcome);
            run.Outcomes[i] = outcome;
        }
        foreach (var write in run.BeforeCommit) await write(cancellationToken);
        await next(run, cancellationToken);
    }
}
