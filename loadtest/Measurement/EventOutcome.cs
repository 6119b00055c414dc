namespace Fairlane.LoadTest.Measurement;

/// <summary>
/// One sent webhook as the ledger saw it: processed with its end-to-end latency, or still waiting
/// at the cut-off, when its latency is only known to be at least <see cref="LatencyMs"/>.
/// </summary>
internal readonly record struct EventOutcome(string Tenant, string Class, string Phase, long SentAtMs, double LatencyMs, long? ProcessedAtMs)
{
    public bool Finished => ProcessedAtMs is not null;
}
