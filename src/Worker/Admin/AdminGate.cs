using Microsoft.AspNetCore.Http.Features;

namespace Fairlane.Worker.Admin;

/// <summary>
/// Marks the admin API's endpoints. The gate decides by the endpoint routing matched, never by how the
/// request spelled its path: routing matches paths case-insensitively, decodes percent-escapes and
/// ignores a trailing slash, so any rule written against the raw path can be routed around.
/// </summary>
internal sealed class AdminEndpointMarker
{
    public static readonly AdminEndpointMarker Instance = new();

    private AdminEndpointMarker() { }

    public static bool IsOn(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<AdminEndpointMarker>() is not null;
}

/// <summary>
/// Runs after routing and before any endpoint: the admin port serves only admin endpoints and only to
/// holders of the bearer token; the metrics port never serves an admin endpoint. On the admin port the
/// token is checked before anything else, so an unauthenticated caller learns nothing: not which paths
/// exist, not whether its body or query would have been valid.
/// </summary>
internal sealed class AdminGate(RequestDelegate next, AdminAccess access)
{
    // Admin requests are a few fields of JSON; refuse anything larger before reading it.
    private const long MaxBodyBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var adminEndpoint = AdminEndpointMarker.IsOn(context.GetEndpoint());
        if (!access.OnAdminPort(context))
        {
            if (adminEndpoint) context.Response.StatusCode = StatusCodes.Status404NotFound;
            else await next(context);
            return;
        }

        if (await access.RefuseUnlessAuthorizedAsync(context)) return;
        if (!adminEndpoint)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        await next(context);
    }
}
