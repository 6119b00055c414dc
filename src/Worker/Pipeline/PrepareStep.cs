namespace Fairlane.Worker.Pipeline;

/// <summary>
/// Runs each handler's preparation (e.g. reading a channel) before any transaction opens: no
/// transaction waits on another system. It fails like the handler would.
/// </summary>
internal sealed class PrepareStep : IPipelineStep
{
    public async Task InvokeAsync(PipelineRun run, RunStep next, CancellationToken cancellationToken)
    {
        for (var i = 0; i < run.Events.Count; i++)
        {
            var e = run.Events[i];
            run.Prepared[i] = await e.Handler.PrepareAsync(e.Envelope, e.Tenant, cancellationToken);
        }
        await next(run, cancellationToken);
    }
}
