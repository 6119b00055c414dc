using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fairlane.Worker.Health;

/// <summary>
/// The bodies of /healthz and /readyz, unchanged from before the framework's checks: "ok" for a live
/// node, and for readiness one entry per check, <c>{"postgres":{"status":"ready","detail":"ok"},…}</c>.
/// </summary>
internal static class HealthResponses
{
    public static Task WriteLivenessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var failed = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {Detail(e.Value)}").ToList();
        return context.Response.WriteAsync(failed.Count == 0 ? "ok\n" : $"unavailable: {string.Join("; ", failed)}\n", context.RequestAborted);
    }

    public static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = report.Entries.ToDictionary(e => e.Key,
            e => new ReadinessEntry(e.Value.Status == HealthStatus.Healthy ? "ready" : "unavailable", Detail(e.Value)));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJsonContext.Default.DictionaryStringReadinessEntry, context.RequestAborted);
    }

    // The framework reports a check past its timeout as a cancellation; say what the operator needs to know.
    private static string Detail(HealthReportEntry entry) =>
        entry.Exception is OperationCanceledException ? $"no answer within {HealthServices.CheckTimeout.TotalSeconds:0} s"
        : entry.Description ?? entry.Exception?.Message ?? entry.Status.ToString();
}

internal sealed record ReadinessEntry(string Status, string Detail);

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, ReadinessEntry>))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class HealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
