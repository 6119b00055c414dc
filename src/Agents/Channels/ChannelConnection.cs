namespace Fairlane.Agents.Channels;

/// <summary>
/// Everything needed to call one tenant's channel, credentials decrypted. <see cref="ToString"/>
/// shows who and where, never the credentials nor any user-info or query part of the URL.
/// </summary>
public sealed record ChannelConnection(string TenantId, string ChannelId, string Type, Uri BaseUrl, ChannelCredentials Credentials)
{
    public string Name { get; init; } = "";

    public ChannelStatus Status { get; init; } = ChannelStatus.Active;

    /// <summary>
    /// Why the stored configuration cannot be called (see <see cref="ChannelConfiguration"/>), or null when it can.
    /// Set on read; such a channel carries an empty relative <see cref="BaseUrl"/> or no credentials in place of the bad values.
    /// </summary>
    public string? Problem { get; init; }

    public ChannelKey Key => new(TenantId, ChannelId);

    public override string ToString() => BaseUrl.IsAbsoluteUri
        ? $"{TenantId}/{ChannelId} ({Type} at {BaseUrl.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)})"
        : $"{TenantId}/{ChannelId} ({Type}, no usable base URL)";
}
