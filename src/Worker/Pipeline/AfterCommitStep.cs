namespace Fairlane.Worker.Pipeline;

/// <summary>
/// Sends the run's notices (event-bus messages, tenant change notices) once its transaction has
/// committed. Best effort: a notice that fails is logged, never a reason to redo the effect.
/// </summary>
internal sealed partial class AfterCommitStep(ILogger logger) : IPipelineStep
{
    public async Task InvokeAsync(PipelineRun run, RunStep next, CancellationToken cancellationToken)
    {
        await next(run, cancellationToken);
        foreach (var action in run.AfterCommit)
        {
            try
            {
                await action(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAfterCommitFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notice after a committed effect could not be sent")]
    private static partial void LogAfterCommitFailed(ILogger logger, Exception ex);
}
