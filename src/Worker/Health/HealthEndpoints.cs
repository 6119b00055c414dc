using Prometheus;

namespace Fairlane.Worker.Health;

internal static class HealthEndpoints
{
    /// <summary>/metrics, /healthz (the process is alive) and /readyz (its dependencies answer).</summary>
    public static WebApplication MapFairlaneHttp(this WebApplication app)
    {
        app.MapMetrics("/metrics");
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", async (ReadinessProbe probe, CancellationToken ct) =>
        {
            var checks = await probe.CheckAsync(ct);
            var body = checks.ToDictionary(c => c.Name, c => new ReadinessEntry(c.Ready ? "ready" : "unavailable", c.Detail));
            return Results.Json(body, HealthJsonContext.Default.DictionaryStringReadinessEntry,
                statusCode: checks.All(c => c.Ready) ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}

internal sealed record ReadinessEntry(string Status, string Detail);

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, ReadinessEntry>))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class HealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
