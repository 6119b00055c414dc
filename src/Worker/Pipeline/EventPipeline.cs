using Fairlane.Agents.Alerting;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
using Fairlane.Agents.Tenants;
using Fairlane.Contracts;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Pipeline;

/// <summary>
/// Processes a run of one tenant's events (a single event is a run of one) and returns one outcome
/// per event. The steps, composed once: each handler's preparation with no transaction open; then in
/// one tenant-bound transaction the tenant gate, the processed-events ledger (a re-delivered event is
/// skipped), the handlers, the parked rows' deletion and the budget; after the commit, the notices.
/// All of a run commits together or not at all, so every effect is applied exactly once; a run that
/// fails ends with the same failure for every event, and the caller runs them one by one.
/// </summary>
internal sealed class EventPipeline
{
    private readonly RunStep _chain;

    public EventPipeline(TenantDatabase database, AlertStore alerts, ITenantChangeNotice tenantChanges, IOptions<EngineOptions> options,
        ILogger<EventPipeline> logger)
    {
        IPipelineStep[] steps =
        [
            new PrepareStep(),
            new AfterCommitStep(logger),
            new TransactionStep(database),
            new TenantGateStep(),
            new IdempotencyStep(),
            new HandlerStep(TimeSpan.FromMilliseconds(options.Value.ArtificialHandlerDelayMs)),
            new ParkCleanupStep(),
            new BudgetStep(alerts, tenantChanges),
        ];
        RunStep chain = static (_, _) => Task.CompletedTask;
        for (var i = steps.Length - 1; i >= 0; i--)
        {
            var step = steps[i];
            var next = chain;
            chain = (run, ct) => step.InvokeAsync(run, next, ct);
        }
        _chain = chain;
    }

    public async Task<IReadOnlyList<Outcome>> ProcessAsync(IReadOnlyList<EngineEvent> events, CancellationToken cancellationToken)
    {
        using var span = RunTracing.Start(events);
        var outcomes = await RunAsync(new PipelineRun(events), cancellationToken);
        RunTracing.End(span, outcomes);
        return outcomes;
    }

    private async Task<IReadOnlyList<Outcome>> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        try
        {
            await _chain(run, cancellationToken);
            return run.Completed();
        }
        catch (RunFailedException ex)
        {
            return run.FailedWith(ex.Outcome);
        }
        catch (Exception ex) when (TransientErrors.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            return run.FailedWith(Outcome.Retry(ex));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not transient and not cancellation: retrying cannot help (a constraint the event breaks,
            // a payload the handler cannot read). Dead-letter it so the partition keeps flowing.
            return run.FailedWith(Outcome.DeadLetter(DeadLetterReasons.PermanentFailure, ex.Message, ex.GetType().FullName));
        }
    }
}
