using Fairlane.Agents.Alerting;
using Fairlane.Agents.Channels;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Channels;

internal static class ChannelServices
{
    /// <summary>Channel adapters over one HTTP client, their resilience pipelines and breakers, and the credential store.</summary>
    public static IServiceCollection AddChannels(this IServiceCollection services)
    {
        services.AddValidatedOptions<ChannelOptions, ChannelOptionsValidator>(ChannelOptions.Section);
        services.AddValidatedOptions<ChannelResilienceOptions, ChannelResilienceOptionsValidator>(ChannelResilienceOptions.Section);
        services.AddSingleton(sp => CredentialProtector.FromBase64(sp.GetRequiredService<IOptions<ChannelOptions>>().Value.CredentialKey));
        services.AddSingleton<ChannelStore>();
        services.AddSingleton<ChannelBreakers>();
        services.AddSingleton<ChannelCallMetrics>();
        services.AddSingleton<IChannelHealth>(sp => sp.GetRequiredService<ChannelCallMetrics>());
        services.AddSingleton(sp => new ChannelResilience(
            sp.GetRequiredService<IOptions<ChannelResilienceOptions>>().Value, sp.GetRequiredService<ChannelBreakers>(),
            sp.GetRequiredService<ChannelCallMetrics>()));
        // The resilience pipeline's per-attempt timeout governs, not HttpClient's own.
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            { Timeout = Timeout.InfiniteTimeSpan });
        services.AddSingleton(sp => ChannelAdapters.Create(sp.GetRequiredService<HttpClient>(), sp.GetRequiredService<ChannelResilience>()));
        return services;
    }
}
