using Fairlane.Agents.Handling;
using Fairlane.Contracts;

namespace Fairlane.Worker.Pipeline;

/// <summary>The tenant must be registered and not deleted (its row as the run's first round trip read it); otherwise its events are dead letters.</summary>
internal sealed class TenantGateStep : IPipelineStep
{
    public async Task InvokeAsync(PipelineRun run, RunStep next, CancellationToken cancellationToken)
    {
        var tenantId = run.TenantId;
        var refusal = run.Tenant switch
        {
            null => Outcome.DeadLetter(DeadLetterReasons.UnknownTenant, $"tenant '{tenantId}' is not registered"),
            { IsDeleted: true } => Outcome.DeadLetter(DeadLetterReasons.TenantDeleted, $"tenant '{tenantId}' was unregistered"),
            _ => null,
        };
        // Only a tenant command (which may register the tenant) goes on without one, and only alone:
        // a longer run fails here, and its events pass when they run one by one.
        if (refusal is not null && (run.Events.Count > 1 || run.Events[0].Handler.RequiresRegisteredTenant))
            throw PipelineErrors.RunFailed(refusal);
        await next(run, cancellationToken);
    }
}
