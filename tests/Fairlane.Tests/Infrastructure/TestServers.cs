namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// Where the local test servers are: the ones scripts/dev-servers.sh starts, unless the environment
/// points elsewhere (FAIRLANE_TEST_PG_PORT, FAIRLANE_TEST_REDIS_PORTS).
/// </summary>
internal static class TestServers
{
    public static int PostgresPort { get; } = int.Parse(Environment.GetEnvironmentVariable("FAIRLANE_TEST_PG_PORT") ?? "55432");

    public static IReadOnlyList<int> RedisPorts { get; } =
        (Environment.GetEnvironmentVariable("FAIRLANE_TEST_REDIS_PORTS") ?? "56379 56380 56381")
        .Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();

    public static string OwnerConnectionString(string database) =>
        $"Host=127.0.0.1;Port={PostgresPort};Database={database};Username=fairlane;Password=fairlane;Pooling=true;Timeout=10";

    public static string AppConnectionString(string database) =>
        $"Host=127.0.0.1;Port={PostgresPort};Database={database};Username=fairlane_app;Password=fairlane_app;Pooling=true;Timeout=10";

    /// <summary>The channel credential key workers under test use (base64 of 32 bytes; a test value, never a real secret).</summary>
    public const string CredentialKey = "dGVzdC1vbmx5LWNyZWRlbnRpYWwta2V5LTMyLWJ5dGU=";

    /// <summary>A name no other test (or earlier run) uses: for databases, topic prefixes, key prefixes, groups.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)];
}
