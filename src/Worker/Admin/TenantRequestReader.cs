using System.Text.Json;
using Fairlane.Agents.Tenants;

namespace Fairlane.Worker.Admin;

/// <summary>
/// Reads admin request bodies into administration requests. Each field is checked for its JSON type
/// here (ranges are <see cref="TenantRules"/>' job), and an unknown field is an error rather than
/// silently ignored: a misspelt <c>"wieght"</c> must not look like success.
/// </summary>
internal static class TenantRequestReader
{
    public static async Task<TenantRegistration> ReadRegistrationAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadObjectAsync(request, cancellationToken);
        RejectUnknown(body, ["id", "name", .. TenantRules.LimitFields]);
        var id = body.TryGetValue("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
            ? idElement.GetString()!
            : throw TenantErrors.Invalid("id", "is required: a string of 1-64 letters, digits, '.', '_' or '-'.");
        string? name = null;
        if (body.TryGetValue("name", out var nameElement))
        {
            name = nameElement.ValueKind switch
            {
                JsonValueKind.String => nameElement.GetString(),
                JsonValueKind.Null => null,
                _ => throw TenantErrors.Invalid("name", $"must be a string; got {Describe(nameElement)}."),
            };
        }
        return new TenantRegistration(id, name, ReadLimits(body));
    }

    public static async Task<TenantLimitsChange> ReadLimitsChangeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadObjectAsync(request, cancellationToken);
        RejectUnknown(body, TenantRules.LimitFields);
        return ReadLimits(body);
    }

    private static TenantLimitsChange ReadLimits(Dictionary<string, JsonElement> body) => new()
    {
        Weight = body.TryGetValue("weight", out var w) ? Int("weight", w, $"a whole number from 1 to {TenantRules.MaxWeight}") : null,
        Concurrency = body.TryGetValue("concurrency", out var c)
            ? Optional(c, () => Int("concurrency", c, $"a whole number from 1 to {TenantRules.MaxConcurrency} or null for automatic"))
            : OptionalLimit<int>.Keep,
        Ordering = body.TryGetValue("ordering", out var o) ? Ordering(o) : null,
        RatePerSecond = body.TryGetValue("ratePerSecond", out var r) ? Optional(r, () => Rate(r)) : OptionalLimit<double>.Keep,
        MaxQueueDepth = body.TryGetValue("maxQueueDepth", out var q)
            ? Optional(q, () => Int("maxQueueDepth", q, $"a whole number from 1 to {TenantRules.MaxQueueDepthLimit} or null"))
            : OptionalLimit<int>.Keep,
        MonthlyBudget = body.TryGetValue("monthlyBudget", out var b)
            ? Optional(b, () => Long("monthlyBudget", b, "a whole number of at least 0 or null"))
            : OptionalLimit<long>.Keep,
    };

    private static OptionalLimit<T> Optional<T>(JsonElement element, Func<T> read) where T : struct =>
        element.ValueKind == JsonValueKind.Null ? OptionalLimit<T>.Clear : OptionalLimit<T>.To(read());

    private static int Int(string field, JsonElement element, string expected) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value)
            ? value
            : throw TenantErrors.Invalid(field, $"must be {expected}; got {Describe(element)}.");

    private static long Long(string field, JsonElement element, string expected) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value)
            ? value
            : throw TenantErrors.Invalid(field, $"must be {expected}; got {Describe(element)}.");

    private static TenantOrdering Ordering(JsonElement element) =>
        (element.ValueKind == JsonValueKind.String ? TenantOrderingText.TryParse(element.GetString()) : null)
        ?? throw TenantErrors.Invalid("ordering", $"must be \"item\" or \"tenant\"; got {Describe(element)}.");

    private static double Rate(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var rate)
            ? rate
            : throw TenantErrors.Invalid("ratePerSecond", $"must be a number greater than 0 or null; got {Describe(element)}.");

    private static async Task<Dictionary<string, JsonElement>> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, AdminJsonContext.Default.DictionaryStringJsonElement, cancellationToken)
                   ?? throw TenantErrors.Invalid("body", "must be a JSON object; got null.");
        }
        catch (JsonException ex)
        {
            throw TenantErrors.Invalid("body", $"must be a JSON object: {ex.Message}");
        }
        catch (BadHttpRequestException ex)
        {
            throw TenantErrors.Invalid("body", ex.Message);
        }
    }

    private static void RejectUnknown(Dictionary<string, JsonElement> body, IReadOnlyCollection<string> known)
    {
        if (body.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            throw TenantErrors.Invalid(unknown, $"is not a field of this request; known fields: {string.Join(", ", known)}.");
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"\"{element.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => element.GetRawText(),
    };
}
