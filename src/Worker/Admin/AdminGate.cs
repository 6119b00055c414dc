using Fairlane.Worker.Configuration;
using Microsoft.AspNetCore.Http.Features;

namespace Fairlane.Worker.Admin;

/// <summary>
/// Runs before any admin endpoint: the admin API answers only on its own port (and /metrics, /healthz,
/// /readyz only on theirs), and every admin request must carry the bearer token. Checked here rather
/// than in an endpoint filter so that an unauthenticated request learns nothing, not even whether its
/// body would have been valid.
/// </summary>
internal sealed class AdminGate(RequestDelegate next, AdminOptions options)
{
    // Admin requests are a few fields of JSON; refuse anything larger before reading it.
    private const long MaxBodyBytes = 64 * 1024;
    private const string Realm = "Bearer realm=\"fairlane-admin\"";
    private readonly BearerToken _token = new(options.Token);

    public async Task InvokeAsync(HttpContext context)
    {
        var onAdminPort = context.Connection.LocalPort == options.Port;
        var adminPath = context.Request.Path.StartsWithSegments(AdminEndpoints.Prefix, StringComparison.Ordinal);
        if (onAdminPort != adminPath)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!adminPath)
        {
            await next(context);
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (!_token.Matches(authorization))
        {
            var presented = _token.IsPresented(authorization);
            context.Response.Headers.WWWAuthenticate = presented ? Realm + ", error=\"invalid_token\"" : Realm;
            var error = presented
                ? new AdminError("The bearer token is wrong.")
                : new AdminError("An 'Authorization: Bearer <Admin:Token>' header is required.");
            await Results.Json(error, AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        await next(context);
    }
}
