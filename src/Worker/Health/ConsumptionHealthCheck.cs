using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Health;

/// <summary>
/// "consumption": the consumers are not paused (the buffer full) for longer than
/// <c>Health:MaxPausedSeconds</c>. A short pause is ordinary backpressure; a long one means the
/// workers do not keep up or are stuck.
/// </summary>
internal sealed class ConsumptionHealthCheck(HealthSignals signals, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = TimeSpan.FromSeconds(options.Value.MaxPausedSeconds);
        return Task.FromResult(signals.PausedFor switch
        {
            null => HealthCheckResult.Healthy("consuming"),
            var paused when paused <= limit => HealthCheckResult.Healthy($"paused for {paused.Value.TotalSeconds:0} s (buffer full)"),
            var paused => HealthCheckResult.Unhealthy(
                $"paused for {paused.Value.TotalSeconds:0} s (buffer full), longer than Health:MaxPausedSeconds ({options.Value.MaxPausedSeconds})"),
        });
    }
}
