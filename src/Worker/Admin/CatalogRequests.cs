using System.Text;
using Fairlane.Agents.Catalog;
using Microsoft.AspNetCore.Http.Features;

namespace Fairlane.Worker.Admin;

/// <summary>Reads catalogue request bodies, and turns a refused catalogue request into 400, 404 or 409 naming the field.</summary>
internal static class CatalogRequests
{
    /// <summary>A whole catalogue is larger than the admin API's other requests; still bounded, for onboarding files.</summary>
    public const long MaxImportBytes = 16 * 1024 * 1024;

    public static async Task<CatalogImport> ReadImportAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxImportBytes;
        var body = await ReadBodyAsync(request, ct);
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        switch (mediaType)
        {
            case "text/csv":
                return CatalogCsvReader.Read(Encoding.UTF8.GetString(body));
            case null or "" or "application/json":
                using (var document = CatalogJsonReader.Parse(body)) return CatalogJsonReader.ReadImport(document.RootElement);
            default:
                throw CatalogErrors.Invalid("Content-Type", $"must be application/json or text/csv; got '{mediaType}'.");
        }
    }

    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, Func<System.Text.Json.JsonElement, T> read, CancellationToken ct)
    {
        using var document = CatalogJsonReader.Parse(await ReadBodyAsync(request, ct));
        return read(document.RootElement);
    }

    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (CatalogException ex)
        {
            var status = ex.Problem switch
            {
                CatalogProblem.NotFound => StatusCodes.Status404NotFound,
                CatalogProblem.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            return Results.Json(new AdminError(ex.Message, ex.Field), AdminJsonContext.Default.AdminError, statusCode: status);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            return buffer.ToArray();
        }
        catch (BadHttpRequestException ex)
        {
            throw CatalogErrors.Invalid("body", ex.Message);
        }
    }
}
