using System.Net;
using Fairlane.Worker.Configuration;

namespace Fairlane.Worker.Admin;

internal static class AdminApiExtensions
{
    /// <summary>The admin API's own listener, next to the metrics one, unless Admin:Enabled is false.</summary>
    public static void ListenForAdmin(this Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, AdminOptions admin)
    {
        if (admin.Enabled) kestrel.Listen(IPAddress.Parse(admin.BindAddress), admin.Port);
    }

    /// <summary>The gate (port and bearer token) and the admin routes.</summary>
    public static WebApplication MapAdminApi(this WebApplication app, AdminOptions admin)
    {
        if (!admin.Enabled) return app;
        // Routing first, so the gate sees which endpoint a request reached, whatever its path's spelling.
        app.UseRouting();
        var access = new AdminAccess(admin);
        app.UseMiddleware<AdminGate>(access);
        app.MapAdminEndpoints(access);
        return app;
    }
}
