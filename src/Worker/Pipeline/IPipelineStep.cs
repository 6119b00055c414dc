namespace Fairlane.Worker.Pipeline;

/// <summary>The rest of the pipeline after a step.</summary>
internal delegate Task RunStep(PipelineRun run, CancellationToken cancellationToken);

/// <summary>
/// One job in the pipeline. It does its part and calls <c>next</c> for the rest, or ends the run by
/// throwing <see cref="PipelineErrors.RunFailed"/> (which rolls the run's transaction back).
/// </summary>
internal interface IPipelineStep
{
    Task InvokeAsync(PipelineRun run, RunStep next, CancellationToken cancellationToken);
}
