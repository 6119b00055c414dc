using System.Text;
using System.Text.Json;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.LoadTest.Seeding;

namespace Fairlane.LoadTest.Chaos;

/// <summary>A record that must end in the dead-letter topic with <paramref name="Reason"/>, as raw key and bytes.</summary>
internal sealed record PoisonRecord(string Reason, string Key, byte[] Value);

/// <summary>
/// One record of each kind the daemon must dead-letter rather than process, built about a real
/// tenant's mapped item so that processing one by mistake would also show in that product's stock.
/// Reasons are <see cref="DeadLetterReasons"/>; retries-exhausted is no property of a record (it
/// needs a database failing for good) and is left to its own tests.
/// </summary>
internal static class PoisonCatalogue
{
    /// <summary>A tenant the run registers as unregistered (status deleted) before the load: its events are tenant-deleted.</summary>
    public const string DeletedTenant = "departed";

    /// <summary>The age of a beyond-dedup-window record: well past the run's dedup window (Retention:ProcessedEventsDays, 7 days by default).</summary>
    public static readonly TimeSpan TooOld = TimeSpan.FromDays(30);

    public static IReadOnlyList<string> Kinds { get; } =
    [
        DeadLetterReasons.Malformed, DeadLetterReasons.KeyMismatch, DeadLetterReasons.UnknownSchemaVersion, DeadLetterReasons.UnknownType,
        DeadLetterReasons.Oversized, DeadLetterReasons.UnknownTenant, DeadLetterReasons.TenantDeleted, DeadLetterReasons.PermanentFailure,
        DeadLetterReasons.BeyondDedupWindow,
    ];

    /// <summary>The <paramref name="index"/>th poison record of <paramref name="kind"/> about <paramref name="tenant"/>'s first delta product.</summary>
    public static PoisonRecord Build(string kind, string tenant, int index, DateTimeOffset now, int maxMessageBytes)
    {
        var id = $"poison-{kind}-{index:000}";
        EventEnvelope Stock(string owner, StockChanged change, DateTimeOffset? at = null) =>
            EnvelopeCodec.Create(owner, EventTypes.StockChanged, change, FairlaneJsonContext.Default.StockChanged, id: id, occurredAt: at ?? now);
        var channel = TenantChannel.All.First(c => c != ChaosTraffic.LevelChannel);
        var delta = new StockChanged { ChannelType = channel.Type, ChannelId = channel.Id, ExternalId = channel.ExternalId(1), Delta = 1 };
        return kind switch
        {
            DeadLetterReasons.Malformed => new(kind, tenant, Encoding.UTF8.GetBytes($"{{\"id\": \"{id}\", \"tenantId\": ")),
            DeadLetterReasons.KeyMismatch => new(kind, $"not-{tenant}", EnvelopeCodec.Encode(Stock(tenant, delta))),
            DeadLetterReasons.UnknownSchemaVersion => new(kind, tenant, Encoding.UTF8.GetBytes(
                Encoding.UTF8.GetString(EnvelopeCodec.Encode(Stock(tenant, delta))).Replace("\"schemaVersion\":1", "\"schemaVersion\":99", StringComparison.Ordinal))),
            DeadLetterReasons.UnknownType => new(kind, tenant, EnvelopeCodec.Encode(Stock(tenant, delta) with { Type = "stock.teleported" })),
            DeadLetterReasons.Oversized => new(kind, tenant, EnvelopeCodec.Encode(Stock(tenant, delta) with
            {
                Payload = JsonDocument.Parse($"\"{new string('x', maxMessageBytes + 1024)}\"").RootElement.Clone(),
            })),
            DeadLetterReasons.UnknownTenant => new(kind, $"ghost-{index:000}", EnvelopeCodec.Encode(Stock($"ghost-{index:000}", delta))),
            DeadLetterReasons.TenantDeleted => new(kind, DeletedTenant, EnvelopeCodec.Encode(Stock(DeletedTenant, delta))),
            DeadLetterReasons.PermanentFailure => new(kind, tenant, EnvelopeCodec.Encode(Stock(tenant, delta with { Delta = null }))),
            DeadLetterReasons.BeyondDedupWindow => new(kind, tenant, EnvelopeCodec.Encode(Stock(tenant, delta, now - TooOld))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a poison kind of the catalogue."),
        };
    }
}
