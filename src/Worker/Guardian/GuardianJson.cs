using System.Text.Json.Serialization;

namespace Fairlane.Worker.Guardian;

/// <summary>Source-generated JSON of Guardian runs, for the CLI and the admin API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = false)]
[JsonSerializable(typeof(GuardianRunReport))]
[JsonSerializable(typeof(List<GuardianRunRecord>))]
internal sealed partial class GuardianJson : JsonSerializerContext;
