using Fairlane.Agents.Handling;

namespace Fairlane.Worker.Pipeline;

/// <summary>
/// The run's events were recorded in the processed-events ledger by its first round trip, in its
/// transaction and in one statement: an event already there (re-delivered, or a second copy within the
/// run) is a duplicate and is not handled again. The marks commit with the effects, or roll back with them.
/// </summary>
internal sealed class IdempotencyStep : IPipelineStep
{
    public async Task InvokeAsync(PipelineRun run, RunStep next, CancellationToken cancellationToken)
    {
        var fresh = run.Fresh;
        for (var i = 0; i < run.Events.Count; i++)
        {
            // Taken out of the set, so a second copy of one event in the run counts as the duplicate it is.
            if (!fresh.Remove(run.Events[i].Envelope.Id)) run.Outcomes[i] = Outcome.Duplicate;
        }
        await next(run, cancellationToken);
    }
}
