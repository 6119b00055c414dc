namespace Fairlane.Worker.Configuration;

/// <summary>When the engine's own readiness checks tell a node to get no traffic.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Seconds consumption may stay paused (the buffer is full) before /readyz reports it.</summary>
    public int MaxPausedSeconds { get; set; } = 300;

    /// <summary>
    /// Seconds a partition's committed offset may stand still while records wait behind it before
    /// /readyz reports it; the same 5 minutes as the FairlaneCommitStalled alert by default.
    /// </summary>
    public int MaxCommitAgeSeconds { get; set; } = 300;
}
