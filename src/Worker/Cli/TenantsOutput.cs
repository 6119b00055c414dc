using System.Globalization;
using System.Text.Json;
using Fairlane.Agents.Tenants;
using Fairlane.Worker.Admin;

namespace Fairlane.Worker.Cli;

/// <summary>What <c>fairlane tenants</c> prints: aligned text for people, or with --json the admin API's JSON.</summary>
internal sealed class TenantsOutput(TextWriter writer, bool json, int workers)
{
    public void Tenant(TenantDetails tenant, string? headline = null)
    {
        tenant = EffectiveConcurrency.For(tenant, workers);
        if (json)
        {
            writer.WriteLine(JsonSerializer.Serialize(tenant, AdminJsonContext.Default.TenantDetails));
            return;
        }
        if (headline is not null) writer.WriteLine(headline);
        Row("id", tenant.Id);
        Row("name", tenant.Name.Length > 0 ? tenant.Name : "-");
        Row("status", tenant.Status.ToText());
        Row("weight", Number(tenant.Weight));
        Row("concurrency", Concurrency(tenant));
        Row("ordering", tenant.Ordering == TenantOrdering.Tenant ? "tenant (strict order, one event at a time)" : "item (each item in order)");
        Row("rate limit", tenant.RatePerSecond is { } rate ? $"{Number(rate)} events/s" : "none");
        Row("max queue depth", tenant.MaxQueueDepth is { } depth ? Number(depth) : "node default (Engine:TenantQueueDepth)");
        Row("monthly budget", tenant.MonthlyBudget is { } budget ? $"{Number(budget)} jobs" : "none");
        Row("created", Time(tenant.CreatedAt));
        Row("updated", Time(tenant.UpdatedAt));
    }

    public void List(IReadOnlyList<TenantDetails> tenants)
    {
        tenants = EffectiveConcurrency.For(tenants, workers);
        if (json)
        {
            writer.WriteLine(JsonSerializer.Serialize(tenants.ToList(), AdminJsonContext.Default.ListTenantDetails));
            return;
        }
        if (tenants.Count == 0)
        {
            writer.WriteLine("No tenants are registered.");
            return;
        }
        string[] header = ["ID", "STATUS", "WEIGHT", "CONCURRENCY", "ORDERING", "RATE/S", "MAX QUEUE", "BUDGET", "NAME"];
        var rows = tenants.Select(t => new[]
        {
            t.Id, t.Status.ToText(), Number(t.Weight), Concurrency(t), t.Ordering.ToText(),
            t.RatePerSecond is { } r ? Number(r) : "-", t.MaxQueueDepth is { } q ? Number(q) : "-",
            t.MonthlyBudget is { } b ? Number(b) : "-", t.Name,
        }).ToList();
        var widths = header.Select((h, i) => rows.Max(r => r[i].Length) is var w && w > h.Length ? w : h.Length).ToArray();
        foreach (var row in rows.Prepend(header))
            writer.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }

    // "auto (4)": automatic, and what it comes to with this configuration's Engine:Workers.
    private static string Concurrency(TenantDetails t)
    {
        var set = t.Concurrency is { } c ? Number(c) : "auto";
        var effective = t.EffectiveConcurrency is { } n ? Number(n) : "?";
        if (t.Ordering == TenantOrdering.Tenant) return $"{set} ({effective}: tenant order)";
        return t.Concurrency is null ? $"auto ({effective})" : set;
    }

    private void Row(string label, string value) => writer.WriteLine($"{label,-16} {value}");

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
