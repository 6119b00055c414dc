using System.Net;
using Fairlane.Worker.Admin;
using Fairlane.Worker.Configuration;

namespace Fairlane.Worker.Hosting;

internal static class HostServices
{
    /// <summary>
    /// How the process lives: systemd notification and watchdog, a host that stops when any loop dies,
    /// the shutdown grace, and the two listeners (metrics and health; the admin API on its own port).
    /// </summary>
    public static WebApplicationBuilder AddProcessHosting(this WebApplicationBuilder builder, WorkerOptions worker, HttpOptions http, AdminOptions admin)
    {
        builder.Services.AddSystemd();
        builder.Services.AddHostedService<SystemdWatchdog>();
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(worker.ShutdownGraceMs);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(http.BindAddress), http.MetricsPort);
            k.ListenForAdmin(admin);
        });
        return builder;
    }
}
