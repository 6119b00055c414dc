namespace Fairlane.Worker.Engine;

internal static class EngineServices
{
    /// <summary>The fair engine every stage shares, the registry that routes events to handlers, and the reporter of its state as metrics.</summary>
    public static IServiceCollection AddEngine(this IServiceCollection services)
    {
        services.AddSingleton<FairEngine>();
        services.AddSingleton<HandlerRegistry>();
        services.AddHostedService<EngineMetricsReporter>();
        return services;
    }
}
