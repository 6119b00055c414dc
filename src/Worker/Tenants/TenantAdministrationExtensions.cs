using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Tenants;

internal static class TenantAdministrationExtensions
{
    /// <summary>
    /// Tenant administration and fleet-wide propagation: the administration service (used by the admin
    /// API), the change notices it publishes, and the listener that turns every node's notices into an
    /// immediate tenant refresh. The listener runs whether or not this node serves the admin API: changes
    /// also come from other nodes and from <c>fairlane tenants</c>.
    /// </summary>
    public static WebApplicationBuilder AddTenantAdministration(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<TenantRefreshRequests>();
        services.AddSingleton<TenantChangeNotices>();
        services.AddSingleton(sp => new TenantAdministration(sp.GetRequiredService<DataSources>().Owner,
            sp.GetRequiredService<TenantChangeNotices>(), sp.GetRequiredService<ILogger<TenantAdministration>>()));
        services.AddHostedService<TenantChangeListener>();
        return builder;
    }
}
