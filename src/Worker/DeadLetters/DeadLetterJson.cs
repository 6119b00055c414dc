using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fairlane.Worker.DeadLetters;

/// <summary>What a replay request asks (<c>POST /admin/dlq/replay</c>): the reason is required.</summary>
internal sealed record DeadLetterReplayRequest(string? Reason, string? Tenant, bool DryRun = false, bool Again = false);

/// <summary>Source-generated JSON of the dead-letter index for <c>fairlane dlq --json</c> and <c>/admin/dlq</c>: camelCase, nulls written.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<DeadLetterEntry>))]
[JsonSerializable(typeof(DeadLetterReplayReport))]
[JsonSerializable(typeof(DeadLetterReplayRequest))]
internal sealed partial class DeadLetterJson : JsonSerializerContext;
