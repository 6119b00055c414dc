namespace Fairlane.Agents.Channels;

/// <summary>The channel types Fairlane speaks to (the channels table's type column allows exactly these).</summary>
public static class ChannelTypes
{
    public const string EposNow = "eposnow";
    public const string Wix = "wix";
    public const string Deliveroo = "deliveroo";

    public static IReadOnlyList<string> All { get; } = [EposNow, Wix, Deliveroo];
}
