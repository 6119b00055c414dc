using Fairlane.Agents.Storage;
using Fairlane.Partitioning.Parking;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Engine.Parking;
using Fairlane.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Engine;

/// <summary>
/// Re-reads every tenant's status and limits on an interval and hands them to the engine; the
/// queued events of a tenant just paused go to the park.
/// </summary>
internal sealed class TenantRefresher(
    FairEngine engine, ParkWriter parkWriter, DataSources dataSources, IOptions<EngineOptions> options, ILogger<TenantRefresher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TenantRefreshMs));
        do
        {
            try
            {
                var spilled = engine.ApplyTenants(await TenantRecord.ReadAllAsync(dataSources.Owner, stoppingToken));
                foreach (var e in spilled) parkWriter.Enqueue(e, ParkReason.Paused);
            }
            catch (Exception ex) when (EventPipeline.IsTransient(ex))
            {
                // Keep the last known settings; the pipeline still checks each tenant in its transaction.
                logger.LogWarning(ex, "Reading tenant settings failed; keeping the last known ones");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
