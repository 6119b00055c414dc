using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Contracts;

/// <summary>
/// Generates the published JSON Schemas (draft 2020-12) from the contract types with the runtime's
/// <see cref="JsonSchemaExporter"/>: <c>envelope.schema.json</c> for any Fairlane record, and one
/// <c>{type}.schema.json</c> per <see cref="EventCatalog"/> entry, each a whole record (envelope with
/// its type fixed and its payload's schema inlined) so a producer validates against one file with no
/// references to resolve. Descriptions come from the types' documentation comments. The checked-in
/// files under src/Contracts/schemas are rewritten by running the drift test with
/// FAIRLANE_UPDATE_SCHEMAS=1 (see <see cref="SchemaDriftTests"/>).
/// </summary>
internal static class SchemaGenerator
{
    /// <summary>The base of every schema's <c>$id</c>; .invalid is reserved, so it never resolves to someone else's file.</summary>
    public const string BaseUri = "https://fairlane.invalid/schemas/v1/";

    public const string EnvelopeFile = "envelope.schema.json";

    public static string Directory { get; } = Path.Combine(WorkerProcess.RepositoryRoot(), "src", "Contracts", "schemas");

    public static string FileOf(EventDefinition definition) => $"{definition.Type}.schema.json";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true, IndentSize = 2, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // The reader also accepts numbers written as strings (JsonSerializerDefaults.Web); the published
    // contract asks for JSON numbers, so the schemas are exported with strict number handling.
    private static readonly JsonSerializerOptions Contract = new(FairlaneJsonContext.Default.Options) { NumberHandling = JsonNumberHandling.Strict };

    /// <summary>Every schema file: name → its text, as it must be checked in.</summary>
    public static SortedDictionary<string, string> Generate()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal) { [EnvelopeFile] = Text(Envelope(null)) };
        foreach (var definition in EventCatalog.All) files[FileOf(definition)] = Text(Envelope(definition));
        return files;
    }

    /// <summary>Replaces the checked-in files with <paramref name="files"/>, removing any schema file that is no longer generated.</summary>
    public static void WriteAll(IReadOnlyDictionary<string, string> files)
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var stale in System.IO.Directory.GetFiles(Directory, "*.schema.json"))
        {
            if (!files.ContainsKey(Path.GetFileName(stale))) File.Delete(stale);
        }
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(Directory, name), text);
    }

    private static string Text(JsonObject schema) => schema.ToJsonString(Indented) + "\n";

    // definition null: the envelope of any event type, its payload any object.
    private static JsonObject Envelope(EventDefinition? definition)
    {
        var exported = Export(Contract.GetTypeInfo(typeof(EventEnvelope)));
        var properties = exported["properties"]!.AsObject();

        Constrain(properties, "id", new() { ["minLength"] = 1, ["pattern"] = "\\S" });
        Constrain(properties, "tenantId", new() { ["maxLength"] = TenantIds.MaxLength, ["pattern"] = $"^[A-Za-z0-9._-]{{1,{TenantIds.MaxLength}}}$" });
        Constrain(properties, "schemaVersion", new() { ["const"] = SchemaVersions.Current });
        if (definition is null)
        {
            Constrain(properties, "type", new() { ["enum"] = new JsonArray([.. EventCatalog.All.Select(d => JsonValue.Create(d.Type))]) });
            Constrain(properties, "payload", new() { ["type"] = "object" });
        }
        else
        {
            Constrain(properties, "type", new() { ["const"] = definition.Type });
            var payload = Export(Contract.GetTypeInfo(definition.PayloadType));
            if (definition.PayloadType == typeof(StockChanged)) payload["oneOf"] = ExactlyOneOf(nameof(StockChanged.Quantity), nameof(StockChanged.Delta));
            payload["description"] = $"{properties["payload"]!["description"]} {payload["description"]}".Trim();
            properties["payload"] = payload;
        }

        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = BaseUri + (definition is null ? EnvelopeFile : FileOf(definition)),
            ["title"] = definition is null ? "Fairlane event envelope" : $"Fairlane '{definition.Type}' event",
            ["description"] = definition is null
                ? exported["description"]!.GetValue<string>()
                : $"A '{definition.Type}' event on the {Topics.Suffix(definition.Topic)} topic ({{prefix}}.{Topics.Suffix(definition.Topic)}), "
                  + $"keyed by its tenantId. Payload: {definition.PayloadType.Name}.",
        };
        foreach (var (name, value) in exported)
        {
            if (name != "description") schema[name] = value?.DeepClone();
        }
        return schema;
    }

    // A rule the type states in its documentation but cannot express: exactly one of these properties
    // is set (not null). The Watcher dead-letters a stock change with both or neither as permanent-failure.
    private static JsonArray ExactlyOneOf(params string[] properties) =>
        new([.. properties.Select(JsonNamingPolicy.CamelCase.ConvertName).Select(name => new JsonObject
        {
            ["properties"] = new JsonObject { [name] = new JsonObject { ["type"] = "integer" } },
            ["required"] = new JsonArray(JsonValue.Create(name)),
        })]);

    private static void Constrain(JsonObject properties, string property, JsonObject constraints)
    {
        var target = properties[property]!.AsObject();
        foreach (var (name, value) in constraints) target[name] = value?.DeepClone();
    }

    private static JsonObject Export(JsonTypeInfo type) =>
        JsonSchemaExporter.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Describe,
        }).AsObject();

    // Adds the documentation comment of the property or type a schema node stands for. A node that is
    // the "anything" schema (true, for the envelope's payload) becomes an object so it can carry one.
    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode node)
    {
        var summary = context.PropertyInfo?.AttributeProvider is System.Reflection.MemberInfo member
            ? SchemaDocs.Summary($"P:{member.DeclaringType!.FullName}.{member.Name}")
            : context.Path.IsEmpty ? SchemaDocs.Summary($"T:{context.TypeInfo.Type.FullName}") : null;
        if (summary is null) return node;
        var obj = node as JsonObject ?? [];
        obj["description"] = summary;
        return obj;
    }
}
