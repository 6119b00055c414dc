using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fairlane.Worker.Health;

/// <summary>
/// "loops": every service loop (a consumer per topic, the worker pool, ...) still runs. One that ended
/// stops the node (<see cref="ServiceLoops"/>), but its siblings first drain, which can take the revoke
/// grace: meanwhile this says why, and a faulted background service is reported until the host is gone.
/// </summary>
internal sealed class LoopsHealthCheck(HealthSignals signals, IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (signals.EndedLoops.FirstOrDefault() is { Key: not null } ended)
            return Task.FromResult(HealthCheckResult.Unhealthy($"{ended.Key} ended: {ended.Value}"));
        if (HostFaults.FirstFault(services) is { } fault)
            return Task.FromResult(HealthCheckResult.Unhealthy($"a background service failed: {fault.Message}"));
        return Task.FromResult(HealthCheckResult.Healthy("running"));
    }
}
