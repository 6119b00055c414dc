using System.Text.Json.Serialization;

namespace Fairlane.Agents.Alerting;

/// <summary>Source-generated JSON for an alert as it is published on the event bus.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Alert))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
