namespace Fairlane.Agents.Channels;

/// <summary>
/// What can be told about a channel's stored configuration without calling it. A problem found here
/// makes the channel misconfigured (no retry can help until someone fixes the row); anything that
/// needs a call to find out — refused credentials, a host that does not answer — is the channel's
/// own failure and keeps the retry and breaker behaviour.
/// </summary>
public static class ChannelConfiguration
{
    /// <summary>Stands in for a base URL that is not usable, so a misconfigured channel still reads back.</summary>
    public static Uri NoBaseUrl { get; } = new("", UriKind.Relative);

    /// <summary>The base URL when it is an absolute http(s) URL; otherwise why not. The value itself is never echoed (it may hold user-info).</summary>
    public static bool TryParseBaseUrl(string? stored, out Uri url, out string? problem)
    {
        url = NoBaseUrl;
        if (string.IsNullOrWhiteSpace(stored))
        {
            problem = "its base URL is empty; save the channel with its API's base URL";
            return false;
        }
        // On Unix a path such as "/api" parses as an absolute file: URI, so the scheme is checked too.
        if (!Uri.TryCreate(stored.Trim(), UriKind.Absolute, out var parsed) || parsed.IsFile || parsed.IsUnc)
        {
            problem = "its base URL is not an absolute URL; save the channel with its API's base URL (https://…)";
            return false;
        }
        if (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
        {
            problem = $"its base URL uses the scheme '{parsed.Scheme}', but channels are called over http or https only";
            return false;
        }
        url = parsed;
        problem = null;
        return true;
    }

    /// <summary>
    /// The status a channel should have given its stored status and whether its configuration has a problem:
    /// a disabled channel stays disabled; any other with a problem is misconfigured; a misconfigured one without a problem is active again.
    /// </summary>
    public static ChannelStatus EffectiveStatus(ChannelStatus stored, bool hasProblem) => (stored, hasProblem) switch
    {
        (ChannelStatus.Disabled, _) => ChannelStatus.Disabled,
        (_, true) => ChannelStatus.Misconfigured,
        (ChannelStatus.Misconfigured, false) => ChannelStatus.Active,
        _ => stored,
    };
}
