namespace Fairlane.Agents.Channels;

/// <summary>
/// A channel's decrypted secrets. Epos Now uses both (an API key and secret, sent as a Basic pair);
/// Wix and Deliveroo use <see cref="Secret"/> as a bearer token. Printing it never shows either value,
/// so it is safe inside log messages and exception texts.
/// </summary>
public sealed record ChannelCredentials(string? ApiKey, string Secret)
{
    /// <summary>A channel saved without credentials.</summary>
    public static ChannelCredentials None { get; } = new(null, "");

    public bool IsEmpty => string.IsNullOrEmpty(Secret) && string.IsNullOrEmpty(ApiKey);

    public override string ToString() => IsEmpty ? "ChannelCredentials { none }" : "ChannelCredentials { redacted }";
}
