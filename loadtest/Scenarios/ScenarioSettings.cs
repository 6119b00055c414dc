namespace Fairlane.LoadTest.Scenarios;

/// <summary>
/// A scenario's knobs after the command line has been applied over the scenario's defaults. Rates
/// are events per second offered across all tenants (for `max` and `hot`, the peak of the ramp).
/// </summary>
internal sealed record ScenarioSettings
{
    public required int Tenants { get; init; }
    public required double Rate { get; init; }
    public required TimeSpan Duration { get; init; }
    public required int Workers { get; init; }
    public required int EngineWorkers { get; init; }
    public required int HandlerDelayMs { get; init; }
    public required int SimulatorLatencyMs { get; init; }
    /// <summary>Engine:MaxBatchSize for the workers; null keeps the daemon's default.</summary>
    public int? MaxBatch { get; init; }
    /// <summary>Engine:QuantumMs for the workers; null keeps the daemon's default.</summary>
    public int? QuantumMs { get; init; }
    public required int Products { get; init; }
    public required int Partitions { get; init; }
    public required bool Baseline { get; init; }
    public double NoisyFactor { get; init; } = 100;
    /// <summary>Concurrency of the hot tenants (noisy's noisy tenant, hot's tenant, zipf's head); null: the scenario's choice.</summary>
    public int? HotConcurrency { get; init; }
    public double ZipfExponent { get; init; } = 1.0;
    public required TimeSpan DrainTimeout { get; init; }
    /// <summary>Seconds of the first phase's load sent and processed before measuring (not reported).</summary>
    public double WarmupSeconds { get; init; } = 10;
    public double TargetP99Ms { get; init; } = 1_000;
    public double TargetGuardianSeconds { get; init; } = 10;
    public int Seed { get; init; } = 42;
    /// <summary>Settings given to every worker as they are (Section:Key, value), after the scenario's own.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> WorkerOverrides { get; init; } = [];
}
