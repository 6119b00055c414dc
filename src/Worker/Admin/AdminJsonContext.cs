using System.Text.Json;
using System.Text.Json.Serialization;
using Fairlane.Agents.Tenants;

namespace Fairlane.Worker.Admin;

/// <summary>An admin API error: what is wrong and, for bad input, which field.</summary>
internal sealed record AdminError(string Error, string? Field = null);

/// <summary>The answer of <c>GET /admin/healthz</c>.</summary>
internal sealed record AdminHealth(string Status, string Node, string Version);

/// <summary>
/// One tenant as this node's engine applies it now (<c>GET /admin/tenants/{id}/engine</c>): what the last
/// tenant refresh gave the scheduler, and the tenant's work in memory here.
/// </summary>
internal sealed record EngineTenantView(
    string Tenant,
    string Node,
    bool Known,
    string? Status,
    bool Held,
    int Weight,
    int Concurrency,
    string Ordering,
    double? RatePerSecond,
    int MaxQueueDepth,
    int Queued,
    int InFlight);

/// <summary>
/// Source-generated JSON for the admin API and <c>fairlane tenants --json</c>: camelCase, nulls written
/// (a null limit means "none", which a client should see). Request bodies are read as a dictionary of
/// elements, because a PATCH must tell a field left out (keep it) from a field set to null (clear it).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TenantDetails))]
[JsonSerializable(typeof(List<TenantDetails>))]
[JsonSerializable(typeof(EngineTenantView))]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(AdminHealth))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
