namespace Fairlane.ChannelSimulator;

/// <summary>The channel types the simulator serves (the same names as the channels table's type column).</summary>
public static class ChannelTypes
{
    public const string EposNow = "eposnow";
    public const string Wix = "wix";
    public const string Deliveroo = "deliveroo";

    public static IReadOnlyList<string> All { get; } = [EposNow, Wix, Deliveroo];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
