namespace Fairlane.Contracts;

/// <summary>The rules a tenant id follows. It is the Kafka key, so it must be short and plain.</summary>
public static class TenantIds
{
    /// <summary>The longest tenant id accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// Whether <paramref name="tenantId"/> is 1 to 64 characters of ASCII letters, digits, '.', '_' or '-'.
    /// </summary>
    public static bool IsValid(string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId) || tenantId.Length > MaxLength) return false;
        foreach (var c in tenantId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return false;
        }
        return true;
    }
}
