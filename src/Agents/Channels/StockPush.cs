namespace Fairlane.Agents.Channels;

/// <summary>Set one item's stock on a channel to an absolute quantity (absolute, so a repeated push is harmless).</summary>
public readonly record struct StockPush(string ExternalId, int Quantity);

/// <summary>What the channel said about one pushed item. A rejected item does not fail the rest of the push.</summary>
public sealed record StockPushResult(string ExternalId, bool Accepted, string? Error)
{
    public static StockPushResult Ok(string externalId) => new(externalId, true, null);

    public static StockPushResult Rejected(string externalId, string error) => new(externalId, false, error);
}
