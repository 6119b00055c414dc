using System.Security.Cryptography;

namespace Fairlane.LoadTest.Stack;

/// <summary>
/// Names and secrets unique to one run: its topic prefixes, Redis key prefix, databases, the
/// channel credential key and the admin token. Nothing is shared with another run or a developer's
/// own stack, so runs never collide.
/// </summary>
internal sealed record RunIdentity(string Id)
{
    public static RunIdentity New() => new(Guid.NewGuid().ToString("N")[..10]);

    public string FairlanePrefix => $"load-{Id}";
    public string BaselinePrefix => $"base-{Id}";
    public string FairlaneDatabase => $"fl_load_{Id}";
    public string BaselineDatabase => $"fl_base_{Id}";

    /// <summary>base64 of 32 random bytes, as Channels:CredentialKey takes it.</summary>
    public string CredentialKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The admin API's bearer token (64 hex characters).</summary>
    public string AdminToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
