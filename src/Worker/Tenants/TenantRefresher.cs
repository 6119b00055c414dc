using Fairlane.Partitioning.Parking;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Parking;
using Microsoft.Extensions.Options;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Engine;
using Fairlane.Agents.Tenants;

namespace Fairlane.Worker.Tenants;

/// <summary>
/// Re-reads every tenant's status and limits and hands them to the engine: every Engine:TenantRefreshMs,
/// and at once when a tenant change notice asks for it (<see cref="TenantChangeListener"/>). Both go
/// through this one loop, so a notice can never race a periodic read into applying older settings.
/// The queued events of a tenant just held (paused, or over its budget) go to the park.
/// </summary>
internal sealed partial class TenantRefresher(
    FairEngine engine, ParkWriter parkWriter, DataSources dataSources, TenantRefreshRequests requests, IOptions<EngineOptions> options,
    ILogger<TenantRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.TenantRefreshMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var spilled = engine.ApplyTenants(await TenantRecord.ReadAllAsync(dataSources.Owner, stoppingToken));
                foreach (var e in spilled) parkWriter.Enqueue(e, ParkReason.Paused);
            }
            catch (Exception ex) when (TransientErrors.IsTransient(ex))
            {
                // Keep the last known settings; the pipeline still checks each tenant in its transaction.
                LogReadFailed(logger, ex);
            }
            await requests.WaitAsync(interval, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading tenant settings failed; keeping the last known ones")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
