using System.Text.Json;
using Fairlane.Agents.Channels;

namespace Fairlane.Agents.Catalog;

/// <summary>
/// Reads catalogue JSON (a bulk import, or one product, channel or mapping) into requests. Each field is checked
/// for its JSON type here (ranges are <see cref="CatalogRules"/>' job), and an unknown field is an error rather
/// than silently ignored: a misspelt <c>"bufferStok"</c> must not look like success.
/// </summary>
internal static class CatalogJsonReader
{
    private static readonly string[] ImportFields = ["products", "channels", "mappings"];
    private static readonly string[] ProductFields = ["id", "sku", "name", "stock", "bufferStock", "lowStockThreshold"];
    private static readonly string[] ChannelFields = ["id", "type", "name", "baseUrl", "credentials"];
    private static readonly string[] CredentialFields = ["apiKey", "secret"];
    private static readonly string[] MappingFields = ["channelId", "externalId", "productId"];

    /// <summary>Parses a document; <see cref="CatalogException"/> (field "body") when it is not JSON.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            return JsonDocument.Parse(utf8);
        }
        catch (JsonException ex)
        {
            throw CatalogErrors.Invalid("body", $"must be a JSON object: {ex.Message}");
        }
    }

    public static CatalogImport ReadImport(JsonElement root)
    {
        Object(root, "body", ImportFields);
        return new CatalogImport(
            List(root, "products", (e, p) => ReadProduct(e, p, null)),
            List(root, "channels", (e, p) => ReadChannel(e, p, null)),
            List(root, "mappings", (e, p) => ReadMapping(e, p, null, null)));
    }

    /// <param name="routeId">The id the URL names; the body may leave it out, or must repeat it.</param>
    public static ProductDefinition ReadProduct(JsonElement e, string prefix, string? routeId)
    {
        Object(e, prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), ProductFields);
        return new ProductDefinition(Id(e, prefix, "id", routeId), Text(e, prefix, "sku"), Text(e, prefix, "name"),
            NullableInt(e, prefix, "stock"), NullableInt(e, prefix, "bufferStock") ?? 0, NullableInt(e, prefix, "lowStockThreshold"));
    }

    public static ChannelDefinition ReadChannel(JsonElement e, string prefix, string? routeId)
    {
        Object(e, prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), ChannelFields);
        var id = Id(e, prefix, "id", routeId);
        var type = Required(e, prefix, "type");
        var baseUrl = Required(e, prefix, "baseUrl");
        if (!e.TryGetProperty("credentials", out var credentials))
            return new ChannelDefinition(id, type, Text(e, prefix, "name"), baseUrl, CredentialsChange.Keep);
        if (credentials.ValueKind == JsonValueKind.Null)
            return new ChannelDefinition(id, type, Text(e, prefix, "name"), baseUrl, CredentialsChange.Clear);
        Object(credentials, prefix + "credentials", CredentialFields);
        var apiKey = OptionalString(credentials, prefix + "credentials.", "apiKey", secret: true);
        var secret = OptionalString(credentials, prefix + "credentials.", "secret", secret: true) ?? "";
        return new ChannelDefinition(id, type, Text(e, prefix, "name"), baseUrl, CredentialsChange.Set, new ChannelCredentials(apiKey, secret));
    }

    /// <param name="channelId">The channel the URL names, if it does.</param>
    /// <param name="externalId">The item the URL names, if it does.</param>
    public static CatalogMapping ReadMapping(JsonElement e, string prefix, string? channelId, string? externalId)
    {
        Object(e, prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), MappingFields);
        return new CatalogMapping(Id(e, prefix, "channelId", channelId), Id(e, prefix, "externalId", externalId), Required(e, prefix, "productId"));
    }

    private static List<T> List<T>(JsonElement root, string name, Func<JsonElement, string, T> read)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null) return [];
        if (array.ValueKind != JsonValueKind.Array) throw CatalogErrors.Invalid(name, $"must be an array; got {Describe(array)}.");
        var items = new List<T>();
        var i = 0;
        foreach (var item in array.EnumerateArray()) items.Add(read(item, $"{name}[{i++}]."));
        return items;
    }

    private static void Object(JsonElement e, string field, IReadOnlyCollection<string> known)
    {
        if (e.ValueKind != JsonValueKind.Object) throw CatalogErrors.Invalid(field, $"must be a JSON object; got {Describe(e)}.");
        foreach (var property in e.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                var name = field == "body" ? property.Name : $"{field}.{property.Name}";
                throw CatalogErrors.Invalid(name, $"is not a field of this request; known fields: {string.Join(", ", known)}.");
            }
        }
    }

    private static string Id(JsonElement e, string prefix, string name, string? routeValue)
    {
        if (routeValue is null) return Required(e, prefix, name);
        var given = OptionalString(e, prefix, name);
        if (given is not null && given != routeValue) throw CatalogErrors.Invalid(prefix + name, $"is '{given}' but the URL names '{routeValue}'.");
        return routeValue;
    }

    private static string Required(JsonElement e, string prefix, string name) =>
        OptionalString(e, prefix, name) ?? throw CatalogErrors.Invalid(prefix + name, "is required.");

    private static string Text(JsonElement e, string prefix, string name) => OptionalString(e, prefix, name) ?? "";

    // A credential of the wrong kind is described by its kind alone: its value must not reach a response or a log.
    private static string? OptionalString(JsonElement e, string prefix, string name, bool secret = false)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        throw CatalogErrors.Invalid(prefix + name, $"must be a string; got {(secret ? "a " + value.ValueKind.ToString().ToLowerInvariant() : Describe(value))}.");
    }

    private static int? NullableInt(JsonElement e, string prefix, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)
            ? n
            : throw CatalogErrors.Invalid(prefix + name, $"must be a whole number; got {Describe(value)}.");
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"\"{e.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => e.GetRawText(),
    };
}
