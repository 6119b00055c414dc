using System.Text.Json.Serialization;

namespace Fairlane.Agents.Bus;

/// <summary>Source-generated JSON for what the agents publish and store.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BusNotice))]
[JsonSerializable(typeof(SyncCompletedNotice))]
[JsonSerializable(typeof(List<ChannelSyncResult>))]
public sealed partial class AgentsJsonContext : JsonSerializerContext;

/// <summary>The data of a sync.completed notice.</summary>
public sealed record SyncCompletedNotice(string ProductId, long SyncEventId, string Status, int Quantity, IReadOnlyList<ChannelSyncResult> Channels);

/// <summary>What pushing stock to one channel came to.</summary>
public sealed record ChannelSyncResult(string ChannelId, string Outcome, int? Pushed, string? Error);
