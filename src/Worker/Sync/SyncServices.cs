using Fairlane.Agents.Sync;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Sync;

internal static class SyncServices
{
    /// <summary>
    /// Sync's folding handler and, on nodes that run the sync agent, the pusher that pushes what it
    /// folded; the settings come from Agents:Sync*.
    /// </summary>
    public static IServiceCollection AddSyncPushing(this IServiceCollection services, WorkerOptions worker)
    {
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            return new SyncPushOptions
            {
                Handoff = o.SyncHandoff == "topic" ? SyncHandoff.Topic : SyncHandoff.Direct,
                Debounce = TimeSpan.FromMilliseconds(o.SyncDebounceMs),
                ProductsPerPass = o.SyncProductsPerPass,
                MaxProductsPerPass = o.SyncMaxProductsPerPass,
                MaxPassesInFlight = o.SyncMaxPassesInFlight,
                ChannelConcurrency = o.SyncChannelConcurrency,
                Lease = TimeSpan.FromSeconds(o.SyncLeaseSeconds),
                Poll = TimeSpan.FromMilliseconds(o.SyncPollMs),
            };
        });
        services.AddSingleton<SyncSignal>();
        services.AddSingleton<ISyncObserver, SyncMetrics>();
        services.AddSingleton<SyncPusher>();
        if (worker.Runs("sync")) services.AddHostedService<SyncPushLoop>();
        return services;
    }
}
