using System.Text.Json.Serialization;

namespace Fairlane.Agents.Channels;

/// <summary>The plaintext inside an encrypted credentials value (JSON, so fields can be added later).</summary>
internal sealed record StoredCredentials(
    [property: JsonPropertyName("apiKey")] string? ApiKey,
    [property: JsonPropertyName("secret")] string? Secret);
