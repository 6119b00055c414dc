using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Prometheus;

namespace Fairlane.Worker.Health;

internal static class HealthEndpoints
{
    /// <summary>/metrics, /healthz (the process is alive) and /readyz (it can do its work, or why not).</summary>
    public static WebApplication MapFairlaneHttp(this WebApplication app)
    {
        app.MapMetrics("/metrics");
        app.MapHealthEndpoints();
        return app;
    }

    /// <summary>/healthz runs the checks tagged live, /readyz those tagged ready: 200 when all pass, else 503.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthServices.Live),
            ResponseWriter = HealthResponses.WriteLivenessAsync,
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthServices.Ready),
            ResponseWriter = HealthResponses.WriteReadinessAsync,
        });
        return app;
    }
}
