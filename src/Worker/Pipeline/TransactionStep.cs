using Fairlane.Agents.Storage;

namespace Fairlane.Worker.Pipeline;

/// <summary>
/// Opens the run's one transaction, bound to its tenant (row-level security), and commits it when the
/// steps inside return; a step that throws rolls the whole run back.
/// </summary>
internal sealed class TransactionStep(TenantDatabase database) : IPipelineStep
{
    public Task InvokeAsync(PipelineRun run, RunStep next, CancellationToken cancellationToken) =>
        database.InTenantTransactionAsync(run.TenantId, async (c, tx, ct) =>
        {
            run.Bind(c, tx);
            await next(run, ct);
            return true;
        }, cancellationToken);
}
