using System.Text;
using System.Text.Json;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Worker.Engine;

namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// The tenant, event id and type a dead letter is indexed under. A dispatched event knows them; a
/// record refused at intake gives what it can: the key as it arrived for the tenant (as
/// <c>dead_letters</c> does), then the envelope's id and type when its JSON has them, else the
/// producer's headers. Never throws: an unreadable record is indexed with nulls.
/// </summary>
internal sealed record DeadLetterIdentity(string? Tenant, string? EventId, string? EventType)
{
    public static DeadLetterIdentity Of(DeadLetterSource source, EngineEvent? e)
    {
        if (e is not null) return new(e.Tenant, e.Envelope.Id, e.Envelope.Type);
        var (id, type) = FromValue(source.Value);
        return new(source.Key, id ?? Header(source, HeaderNames.EventId), type ?? Header(source, HeaderNames.Type));
    }

    private static (string? Id, string? Type) FromValue(byte[]? value)
    {
        if (value is null || value.Length is 0 or > EnvelopeCodec.DefaultMaxBytes) return (null, null);
        try
        {
            using var json = JsonDocument.Parse(value);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return (null, null);
            return (Text(json.RootElement, "id"), Text(json.RootElement, "type"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Header(DeadLetterSource source, string name)
    {
        for (var i = source.Headers.Count - 1; i >= 0; i--)
            if (source.Headers[i].Key == name && source.Headers[i].Value is { } bytes) return Encoding.UTF8.GetString(bytes);
        return null;
    }
}
