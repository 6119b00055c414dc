using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.LoadTest.Chaos;

namespace Fairlane.Tests.LoadTest;

public sealed class PoisonCatalogueTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(DeadLetterReasons.Malformed)]
    [InlineData(DeadLetterReasons.KeyMismatch)]
    [InlineData(DeadLetterReasons.UnknownSchemaVersion)]
    [InlineData(DeadLetterReasons.Oversized)]
    public void Records_refused_at_decoding_decode_to_their_reason(string kind)
    {
        var record = PoisonCatalogue.Build(kind, "chaos-001", 3, Now, maxMessageBytes: 64 * 1024);
        Assert.Equal(kind, EnvelopeCodec.Decode(record.Key, record.Value, 64 * 1024).Reason);
    }

    [Fact]
    public void Records_refused_after_decoding_are_valid_envelopes_with_the_defect_of_their_kind()
    {
        EventEnvelope Decoded(string kind)
        {
            var record = PoisonCatalogue.Build(kind, "chaos-001", 3, Now, 64 * 1024);
            var result = EnvelopeCodec.Decode(record.Key, record.Value, 64 * 1024);
            Assert.True(result.IsValid, kind);
            return result.Envelope!;
        }
        Assert.Equal("stock.teleported", Decoded(DeadLetterReasons.UnknownType).Type);
        Assert.Equal("ghost-003", Decoded(DeadLetterReasons.UnknownTenant).TenantId);
        Assert.Equal(PoisonCatalogue.DeletedTenant, Decoded(DeadLetterReasons.TenantDeleted).TenantId);
        var change = EventCatalog.StockChanged.Decode(Decoded(DeadLetterReasons.PermanentFailure)).Payload;
        Assert.Null(change.Quantity);
        Assert.Null(change.Delta);
        Assert.True(Now - Decoded(DeadLetterReasons.BeyondDedupWindow).OccurredAt > TimeSpan.FromDays(7) + TimeSpan.FromHours(1));
    }

    [Fact]
    public void Every_kind_of_the_catalogue_builds_and_an_unknown_kind_does_not()
    {
        Assert.Equal(9, PoisonCatalogue.Kinds.Distinct().Count());
        Assert.All(PoisonCatalogue.Kinds, k => Assert.Equal(k, PoisonCatalogue.Build(k, "chaos-001", 0, Now, 1024).Reason));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoisonCatalogue.Build("retries-exhausted", "chaos-001", 0, Now, 1024));
    }

    [Fact]
    public void Dead_letters_are_matched_to_what_was_sent_by_origin_with_duplicates_and_strays_apart()
    {
        static PlacedRecord At(long offset, string reason) => new(new Origin("w", 0, offset), reason);
        PlacedRecord[] sent = [At(1, "malformed"), At(2, "malformed"), At(3, "oversized"), At(4, "unknown-type")];
        PlacedRecord[] letters = [At(1, "malformed"), At(1, "malformed"), At(2, "malformed"), At(3, "unknown-type"), At(9, "permanent-failure")];
        var tally = DlqTally.Compare(sent, letters, ["malformed", "oversized", "unknown-type"]);
        Assert.Equal(new DlqLine("malformed", 2, 2, 0, 0, 1), tally.Lines.Single(l => l.Reason == "malformed"));
        Assert.Equal(new DlqLine("oversized", 1, 0, 0, 1, 0), tally.Lines.Single(l => l.Reason == "oversized"));
        Assert.Equal(new DlqLine("unknown-type", 1, 0, 1, 0, 0), tally.Lines.Single(l => l.Reason == "unknown-type"));
        Assert.Equal(At(9, "permanent-failure"), Assert.Single(tally.Unexpected));
        Assert.False(tally.Exact);
        Assert.True(DlqTally.Compare(sent[..2], letters[..3], ["malformed"]).Exact);
    }
}
