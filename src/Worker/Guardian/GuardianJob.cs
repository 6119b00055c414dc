using Quartz;

namespace Fairlane.Worker.Guardian;

/// <summary>
/// Fires on every node running the guardian agent; only the node that wins the lock leads the run.
/// Never two at once on a node, and a misfired trigger is skipped, not caught up, so runs never stack.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class GuardianJob(GuardianRunner runner) : IJob
{
    public static readonly JobKey Key = new("guardian");

    public Task Execute(IJobExecutionContext context) =>
        runner.RunAsync("schedule", context.ScheduledFireTimeUtc, context.CancellationToken);
}
