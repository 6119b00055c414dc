using System.Security.Cryptography;
using System.Text;

namespace Fairlane.Worker.Admin;

/// <summary>
/// Checks an <c>Authorization: Bearer ...</c> header against the configured token in constant time.
/// Both sides are hashed first, so neither the comparison nor an early length mismatch tells a caller
/// how much of a guess was right.
/// </summary>
internal sealed class BearerToken(string token)
{
    private const string Scheme = "Bearer ";
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static bool IsPresented(string? authorization) =>
        authorization is not null && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public bool Matches(string? authorization)
    {
        if (!IsPresented(authorization)) return false;
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization![Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expected);
    }
}
