using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Fairlane.Contracts.Events;
using Json.Schema;

namespace Fairlane.Tests.Contracts;

/// <summary>
/// Validates records against the checked-in schema files (not freshly generated ones: the files are what
/// producers get) with JsonSchema.Net, formats included.
/// </summary>
internal static class SchemaValidator
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Loaded = new(StringComparer.Ordinal);

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public static JsonSchema Envelope => Load(SchemaGenerator.EnvelopeFile);

    public static JsonSchema Of(string eventType) =>
        Load(SchemaGenerator.FileOf(EventCatalog.Find(eventType) ?? throw new ArgumentException($"'{eventType}' is not in the catalogue", nameof(eventType))));

    /// <summary>Null when <paramref name="record"/> is valid, else each error with where in the record it is.</summary>
    public static string? Errors(JsonSchema schema, JsonNode? record)
    {
        var result = schema.Evaluate(record, Options);
        if (result.IsValid) return null;
        var errors = result.Details.Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({e.Key}): {e.Value}"));
        return string.Join("; ", errors);
    }

    public static string? Errors(JsonSchema schema, byte[] record) => Errors(schema, JsonNode.Parse(record));

    private static JsonSchema Load(string file) =>
        Loaded.GetOrAdd(file, f => JsonSchema.FromText(File.ReadAllText(Path.Combine(SchemaGenerator.Directory, f))));
}
