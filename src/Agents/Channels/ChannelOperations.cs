namespace Fairlane.Agents.Channels;

/// <summary>The operation names used in exceptions and call metrics.</summary>
public static class ChannelOperations
{
    public const string Read = "read";
    public const string Push = "push";
}
