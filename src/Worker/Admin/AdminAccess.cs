using Fairlane.Worker.Configuration;

namespace Fairlane.Worker.Admin;

/// <summary>
/// The admin API's two rules: it answers only on <c>Admin:Port</c>, and only to holders of
/// <c>Admin:Token</c>. Used by the gate in front of routing's result and again by a filter on the admin
/// endpoint group, so the rule travels with the endpoints themselves.
/// </summary>
internal sealed class AdminAccess(AdminOptions options)
{
    private const string Realm = "Bearer realm=\"fairlane-admin\"";
    private readonly BearerToken _token = new(options.Token);

    public bool OnAdminPort(HttpContext context) => context.Connection.LocalPort == options.Port;

    /// <summary>Writes 401 with a JSON error and returns true when the request lacks the right bearer token.</summary>
    public async Task<bool> RefuseUnlessAuthorizedAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (_token.Matches(authorization)) return false;
        var presented = BearerToken.IsPresented(authorization);
        context.Response.Headers.WWWAuthenticate = presented ? Realm + ", error=\"invalid_token\"" : Realm;
        var error = presented
            ? new AdminError("The bearer token is wrong.")
            : new AdminError("An 'Authorization: Bearer <Admin:Token>' header is required.");
        await Results.Json(error, AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
        return true;
    }

    /// <summary>
    /// The endpoint filter on the admin group: the same rules again, so an admin endpoint refuses a
    /// request even if the middleware in front of it were reordered or removed.
    /// </summary>
    public async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (!OnAdminPort(context)) return Results.NotFound();
        if (await RefuseUnlessAuthorizedAsync(context)) return Results.Empty;
        return await next(invocation);
    }
}
