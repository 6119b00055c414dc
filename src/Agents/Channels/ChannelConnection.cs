namespace Fairlane.Agents.Channels;

/// <summary>
/// Everything needed to call one tenant's channel, credentials decrypted. <see cref="ToString"/>
/// shows who and where, never the credentials nor any user-info or query part of the URL.
/// </summary>
public sealed record ChannelConnection(string TenantId, string ChannelId, string Type, Uri BaseUrl, ChannelCredentials Credentials)
{
    public string Name { get; init; } = "";

    public ChannelStatus Status { get; init; } = ChannelStatus.Active;

    public ChannelKey Key => new(TenantId, ChannelId);

    public override string ToString() =>
        $"{TenantId}/{ChannelId} ({Type} at {BaseUrl.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)})";
}
