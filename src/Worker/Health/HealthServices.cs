namespace Fairlane.Worker.Health;

internal static class HealthServices
{
    /// <summary>The readiness probe behind /readyz.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services) => services.AddSingleton<ReadinessProbe>();
}
