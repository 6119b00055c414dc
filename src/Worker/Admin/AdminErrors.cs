using Fairlane.Agents.Tenants;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Admin;

/// <summary>Turns refused requests into statuses with a JSON error body: 400, 404, 409, or 503 when PostgreSQL is unreachable.</summary>
internal static partial class AdminErrors
{
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (TenantAdminException ex)
        {
            var status = ex.Problem switch
            {
                TenantAdminProblem.NotFound => StatusCodes.Status404NotFound,
                TenantAdminProblem.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            return Error(new AdminError(ex.Message, ex.Field), status);
        }
        catch (Exception ex) when (TransientErrors.IsTransient(ex))
        {
            LogDatabaseFailed(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminErrors)),
                ex, context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return Error(new AdminError($"The database did not take the request: {ex.Message}"), StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult Error(AdminError error, int status) => Results.Json(error, AdminJsonContext.Default.AdminError, statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin request {Method} {Path} failed on the database")]
    private static partial void LogDatabaseFailed(ILogger logger, Exception exception, string method, PathString path);
}
