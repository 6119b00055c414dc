namespace Fairlane.Worker.Configuration;

/// <summary>The independent Redis nodes used for leadership (RedLock) and the event bus.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>host:port of each independent Redis node (1 in development, 3 in production). Required.</summary>
    public List<string> Endpoints { get; set; } = [];

    /// <summary>Prefix of every key and channel this fleet uses.</summary>
    public string KeyPrefix { get; set; } = "fairlane:";

    /// <summary>Connect timeout per node.</summary>
    public int ConnectTimeoutMs { get; set; } = 2_000;
}
