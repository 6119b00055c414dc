using Fairlane.Agents.Alerting;
using Fairlane.Agents.Bus;
using Fairlane.Agents.Catalog;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Sync;
using Fairlane.Agents.Tenants;
using Fairlane.Agents.Watcher;
using Fairlane.Worker.Bus;
using Fairlane.Worker.Channels;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Guardian;
using Fairlane.Worker.Sync;
using Fairlane.Worker.Tenants;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Hosting;

internal static class AgentServices
{
    /// <summary>
    /// The agents' handlers and what they share: the channels, alerts, the event bus and tenant change
    /// notices. The Guardian brings its schedule and leader too. Which handlers a node runs is decided by
    /// the handler registry from Worker:Agents.
    /// </summary>
    public static IServiceCollection AddAgents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AgentOptions, AgentOptionsValidator>(AgentOptions.Section);
        services.AddSingleton<IEventBus, RedisEventBus>();
        services.AddSingleton<ITenantChangeNotice>(sp => sp.GetRequiredService<TenantChangeNotices>());
        services.AddChannels();
        services.AddSingleton<AlertStore>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            return new AlertCheckOptions { SyncFailureThreshold = o.SyncFailureThreshold, SyncHealthWindow = TimeSpan.FromMinutes(o.SyncHealthWindowMinutes) };
        });
        services.AddSingleton<AlertChecks>();

        services.AddSingleton<WatcherSyncHandoff>();
        services.AddSingleton<IEventHandler, WatcherHandler>();
        services.AddSingleton<IEventHandler, SyncHandler>();
        services.AddSyncPushing(configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions());
        services.AddSingleton<IEventHandler, AlertHandler>();
        services.AddSingleton<IEventHandler, TenantCommandHandler>();
        services.AddSingleton<IEventHandler, CatalogProductUpsertedHandler>();
        services.AddSingleton<IEventHandler, CatalogProductDeletedHandler>();
        services.AddSingleton<IEventHandler, CatalogMappingUpsertedHandler>();
        services.AddSingleton<IEventHandler, CatalogMappingDeletedHandler>();
        services.AddGuardian(configuration.GetSection(GuardianOptions.Section).Get<GuardianOptions>() ?? new GuardianOptions(),
            configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions());
        return services;
    }
}
