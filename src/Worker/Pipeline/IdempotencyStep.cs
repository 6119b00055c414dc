using Fairlane.Agents.Handling;
using Fairlane.Worker.Engine;

namespace Fairlane.Worker.Pipeline;

/// <summary>
/// Records the run's events in the processed-events ledger, in its transaction and in one statement:
/// an event already there (re-delivered, or a second copy within the run) is a duplicate and is not
/// handled again. The marks commit with the effects, or roll back with them.
/// </summary>
internal sealed class IdempotencyStep : IPipelineStep
{
    public async Task InvokeAsync(PipelineRun run, RunStep next, CancellationToken cancellationToken)
    {
        var fresh = await ProcessedEventLedger.TryRecordManyAsync(run.Connection, run.Transaction, run.TenantId,
            run.Events.Select(e => (e.Envelope.Id, e.Origin())).ToList(), cancellationToken);
        for (var i = 0; i < run.Events.Count; i++)
        {
            // Taken out of the set, so a second copy of one event in the run counts as the duplicate it is.
            if (!fresh.Remove(run.Events[i].Envelope.Id)) run.Outcomes[i] = Outcome.Duplicate;
        }
        await next(run, cancellationToken);
    }
}
