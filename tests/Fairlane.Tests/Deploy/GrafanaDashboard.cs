using System.Text.Json;

namespace Fairlane.Tests.Deploy;

/// <summary>deploy/grafana/dashboards/fairlane.json: its panels and their queries.</summary>
internal static class GrafanaDashboard
{
    public sealed record Panel(int Id, string Type, string Title, string? DatasourceUid, IReadOnlyList<string> Queries, (int X, int Y, int W, int H) Grid);

    public static string FilePath => DeployFiles.Grafana("dashboards", "fairlane.json");

    public static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(FilePath));

    /// <summary>Every panel, including those nested in collapsed rows.</summary>
    public static IReadOnlyList<Panel> Panels(JsonDocument dashboard) =>
        Flatten(dashboard.RootElement.GetProperty("panels")).Select(ToPanel).ToList();

    private static IEnumerable<JsonElement> Flatten(JsonElement panels)
    {
        foreach (var p in panels.EnumerateArray())
        {
            yield return p;
            if (p.TryGetProperty("panels", out var nested))
            {
                foreach (var n in Flatten(nested)) yield return n;
            }
        }
    }

    private static Panel ToPanel(JsonElement p)
    {
        var queries = p.TryGetProperty("targets", out var targets)
            ? targets.EnumerateArray().Select(t => t.GetProperty("expr").GetString() ?? "").ToList()
            : [];
        var uid = p.TryGetProperty("datasource", out var ds) && ds.ValueKind == JsonValueKind.Object && ds.TryGetProperty("uid", out var u) ? u.GetString() : null;
        var g = p.GetProperty("gridPos");
        return new Panel(p.GetProperty("id").GetInt32(), p.GetProperty("type").GetString()!, p.GetProperty("title").GetString()!, uid, queries,
            (g.GetProperty("x").GetInt32(), g.GetProperty("y").GetInt32(), g.GetProperty("w").GetInt32(), g.GetProperty("h").GetInt32()));
    }
}
