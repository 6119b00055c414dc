namespace Fairlane.LoadTest.Chaos;

/// <summary>The kinds of fault the chaos run injects.</summary>
internal enum FaultKind
{
    /// <summary>SIGKILL worker <see cref="FaultStep.Target"/> (0-based), then start it again.</summary>
    KillWorker,
    /// <summary>Take broker <see cref="FaultStep.Target"/> (1-based) down.</summary>
    BrokerDown,
    BrokerUp,
    /// <summary>Stop the run's PostgreSQL (fast shutdown) and start it again.</summary>
    RestartPostgres,
    /// <summary>Kill Redis node <see cref="FaultStep.Target"/> (0-based).</summary>
    RedisDown,
    RedisUp,
    /// <summary>Pause the first <see cref="FaultStep.Target"/> tenants through a worker's admin API.</summary>
    PauseTenants,
    ResumeTenants,
}

/// <summary>One fault, <see cref="AtSeconds"/> after the load started.</summary>
internal sealed record FaultStep(double AtSeconds, FaultKind Kind, int Target);

/// <summary>
/// When each fault happens, as fractions of the load's duration so a shorter run keeps the same
/// shape: three worker kills (each worker once), a broker down for 10 s, a PostgreSQL restart, a
/// Redis node down for a fifth of the run, and a group of tenants paused for a sixth of it. The
/// worker kills fall outside the Redis outage: a worker restarted then would have to start against
/// a Redis minority, which this run does not set out to test.
/// </summary>
internal static class FaultSchedule
{
    public const double BrokerDownSeconds = 10;
    public const int PausedTenants = 5;

    public static IReadOnlyList<FaultStep> For(TimeSpan duration, int workers, int brokers, int redisNodes)
    {
        if (workers < 3) throw new ArgumentException("The chaos run kills three different workers: it needs at least 3.", nameof(workers));
        if (brokers < 2 || redisNodes < 3) throw new ArgumentException("The chaos run needs at least 2 brokers and 3 Redis nodes.", nameof(brokers));
        var d = duration.TotalSeconds;
        if (d < 60) throw new ArgumentException("The chaos run needs at least 60 s of load to fit its faults.", nameof(duration));
        List<FaultStep> steps =
        [
            new(0.10 * d, FaultKind.KillWorker, 0),
            new(0.22 * d, FaultKind.BrokerDown, 2),
            new(0.22 * d + BrokerDownSeconds, FaultKind.BrokerUp, 2),
            new(0.35 * d, FaultKind.KillWorker, 1),
            new(0.45 * d, FaultKind.RedisDown, redisNodes - 1),
            new(0.55 * d, FaultKind.RestartPostgres, 0),
            new(0.65 * d, FaultKind.RedisUp, redisNodes - 1),
            new(0.68 * d, FaultKind.PauseTenants, PausedTenants),
            new(0.75 * d, FaultKind.KillWorker, 2),
            new(0.85 * d, FaultKind.ResumeTenants, PausedTenants),
        ];
        return [.. steps.OrderBy(s => s.AtSeconds)];
    }
}
