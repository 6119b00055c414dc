namespace Fairlane.Agents.Channels;

/// <summary>A channel's stored status (the channels table's status column).</summary>
public enum ChannelStatus
{
    Active,
    Disabled,

    /// <summary>The channel refused the stored credentials; nothing is sent to it until they are replaced.</summary>
    AuthFailed,

    /// <summary>
    /// The stored configuration cannot be called (no usable http(s) base URL, or credentials that do not
    /// decrypt); nothing is sent to it until it is fixed, which the next read notices.
    /// </summary>
    Misconfigured,
}

/// <summary>The status names as stored in PostgreSQL.</summary>
public static class ChannelStatusNames
{
    public static string ToName(this ChannelStatus status) => status switch
    {
        ChannelStatus.Active => "active",
        ChannelStatus.Disabled => "disabled",
        ChannelStatus.AuthFailed => "auth_failed",
        ChannelStatus.Misconfigured => "misconfigured",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static ChannelStatus Parse(string name) => name switch
    {
        "active" => ChannelStatus.Active,
        "disabled" => ChannelStatus.Disabled,
        "auth_failed" => ChannelStatus.AuthFailed,
        "misconfigured" => ChannelStatus.Misconfigured,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a channel status."),
    };
}
