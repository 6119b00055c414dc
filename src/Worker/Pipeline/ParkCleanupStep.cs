using Fairlane.Worker.Parking;

namespace Fairlane.Worker.Pipeline;

/// <summary>Deletes the parked rows of the run's events loaded from the park, processed or duplicate, with their effects.</summary>
internal sealed class ParkCleanupStep : IPipelineStep
{
    public async Task InvokeAsync(PipelineRun run, RunStep next, CancellationToken cancellationToken)
    {
        var parkIds = run.Events.Where(e => e.ParkId is not null).Select(e => e.ParkId!.Value).ToArray();
        await ParkedEvents.DeleteManyAsync(run.Connection, run.Transaction, parkIds, cancellationToken);
        await next(run, cancellationToken);
    }
}
