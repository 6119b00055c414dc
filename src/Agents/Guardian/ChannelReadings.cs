namespace Fairlane.Agents.Guardian;

/// <summary>
/// What a tenant's channels showed, read before the reconcile transaction opened: stock by
/// (channel id, external id). Items a channel could not be read for, or does not have, are absent.
/// </summary>
public sealed record ChannelReadings(IReadOnlyDictionary<(string ChannelId, string ExternalId), int> Observed)
{
    /// <summary>Nothing read: the job's epoch was already superseded, so reading would be wasted calls.</summary>
    public static ChannelReadings None { get; } = new(new Dictionary<(string, string), int>());
}
