using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Health;

/// <summary>
/// "commits": no partition's committed offset has stood still for longer than
/// <c>Health:MaxCommitAgeSeconds</c> while records wait behind it (a stuck record, or failing
/// commits). An idle partition has nothing waiting and never counts.
/// </summary>
internal sealed class CommitsHealthCheck(HealthSignals signals, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = TimeSpan.FromSeconds(options.Value.MaxCommitAgeSeconds);
        return Task.FromResult(signals.OldestCommit switch
        {
            null => HealthCheckResult.Healthy("nothing waits"),
            var (age, partition) when age <= limit => HealthCheckResult.Healthy($"oldest commit {age.TotalSeconds:0} s ago ({partition})"),
            var (age, partition) => HealthCheckResult.Unhealthy(
                $"{partition} has not committed for {age.TotalSeconds:0} s while records wait, longer than Health:MaxCommitAgeSeconds ({options.Value.MaxCommitAgeSeconds})"),
        });
    }
}
