using Fairlane.Agents.Alerting;
using Fairlane.Agents.Tenants;

namespace Fairlane.Worker.Pipeline;

/// <summary>
/// Counts the run's processed events against the tenant's monthly budget, in its transaction. Only
/// tenants with a budget are counted. The run that reaches the budget raises an alert and, after the
/// commit, tells the fleet, which then holds the tenant's further events in the park until the budget
/// is raised or the month turns (events already queued or running may still finish: a soft limit).
/// </summary>
internal sealed class BudgetStep(AlertStore alerts, ITenantChangeNotice tenantChanges) : IPipelineStep
{
    public async Task InvokeAsync(PipelineRun run, RunStep next, CancellationToken cancellationToken)
    {
        if (run.Tenant is { MonthlyBudget: { } budget } tenant && run.Handled is var jobs and > 0)
        {
            var (before, after) = await TenantUsage.AddAsync(run.Connection, run.Transaction, tenant.Id, jobs, cancellationToken);
            if (before < budget && after >= budget)
            {
                await alerts.RaiseAsync(run.ContextFor(0), AlertKinds.Budget, "monthly", "warning",
                    $"tenant '{tenant.Id}' used its monthly budget of {budget} jobs; its events are parked until the budget is raised", cancellationToken);
                run.AfterCommit.Add(ct => tenantChanges.PublishAsync(tenant.Id, ct));
            }
        }
        await next(run, cancellationToken);
    }
}
