using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fairlane.Worker.Health;

/// <summary>"postgres": the application pool (the one every event's transaction uses) runs a query.</summary>
internal sealed class PostgresHealthCheck(DataSources dataSources) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var cmd = dataSources.App.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("ok");
        }
        catch (Npgsql.NpgsqlException ex)
        {
            // An answer, not a fault of the check: no stack trace in the log at every probe.
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
