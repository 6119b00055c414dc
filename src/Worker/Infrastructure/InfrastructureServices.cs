using Fairlane.Agents.Storage;

namespace Fairlane.Worker.Infrastructure;

internal static class InfrastructureServices
{
    /// <summary>The clock, the PostgreSQL data sources (owner and app role), the Redis nodes and the Kafka client factory.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DataSources>();
        services.AddSingleton(sp => new TenantDatabase(sp.GetRequiredService<DataSources>().App));
        services.AddSingleton<RedisNodes>();
        services.AddSingleton<KafkaClientFactory>();
        return services;
    }
}
