using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fairlane.Worker.Health;

internal static class HealthServices
{
    /// <summary>Checks tagged so run by /healthz: only what a restart fixes.</summary>
    public const string Live = "live";

    /// <summary>Checks tagged so run by /readyz: everything a node needs to do its work.</summary>
    public const string Ready = "ready";

    /// <summary>How long a dependency has to answer; a probe must answer well within its caller's own timeout.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The framework's health checks behind /healthz and /readyz: the dependencies, then the engine's own.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddValidatedOptions<HealthOptions, HealthOptionsValidator>(HealthOptions.Section);
        services.AddSingleton<KafkaHealthCheck>(); // one admin client for the life of the node
        services.AddHealthChecks()
            .AddCheck<KafkaHealthCheck>("kafka", tags: [Ready], timeout: CheckTimeout)
            .AddCheck<PostgresHealthCheck>("postgres", tags: [Ready], timeout: CheckTimeout)
            .AddCheck<RedisHealthCheck>("redis", tags: [Ready], timeout: CheckTimeout)
            .AddEngineChecks();
        return services;
    }

    /// <summary>The engine's own checks and the signals its loops report to them.</summary>
    public static IHealthChecksBuilder AddEngineChecks(this IHealthChecksBuilder checks)
    {
        checks.Services.TryAddSingleton<HealthSignals>();
        return checks
            .AddCheck<LoopsHealthCheck>("loops", tags: [Live, Ready])
            .AddCheck<ConsumptionHealthCheck>("consumption", tags: [Ready])
            .AddCheck<CommitsHealthCheck>("commits", tags: [Ready]);
    }
}
