using System.Diagnostics;
using Fairlane.Producing;
using Fairlane.LoadTest.Scenarios;

namespace Fairlane.LoadTest.Load;

/// <summary>
/// Sends each phase's webhooks on schedule whatever the fleet does (open loop), so a slow fleet
/// shows as latency and backlog, never as a politely slower sender. Each event goes to Fairlane's
/// webhooks topic and, when the baseline runs, the same event to the baseline's topic: both see
/// the same stream. A scenario may bring its own streams (<paramref name="streams"/>, by tenant);
/// otherwise each tenant sends <see cref="WebhookEvents"/>.
/// </summary>
internal sealed class OpenLoopSender(FairlaneProducer producer, IReadOnlyList<string> topics, LoadPlan plan, int seed,
    Func<string, IWebhookStream>? streams = null)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private readonly Dictionary<string, IWebhookStream> _streams = plan.Tenants.ToDictionary(
        t => t.Tenant, t => streams?.Invoke(t.Tenant) ?? new WebhookEvents(t.Tenant, plan.ProductsPerTenant, seed), StringComparer.Ordinal);

    public SentLog Sent { get; } = new();

    public async Task RunPhaseAsync(LoadPhase phase, CancellationToken cancellationToken)
    {
        var pacers = phase.Load.Select(l => (l.Tenant, Pacer: new TenantPacer(l.Schedule, l.InitialCredit))).ToList();
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(Tick);
        while (true)
        {
            var now = Math.Min(clock.Elapsed.TotalSeconds, phase.Seconds);
            foreach (var (tenant, pacer) in pacers)
            {
                for (var due = pacer.Due(now); due > 0; due--) Send(tenant, phase.Name);
            }
            if (now >= phase.Seconds) break;
            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }

    /// <summary>Waits for the brokers to acknowledge everything sent; what is still queued after the timeout counts as failed.</summary>
    public void Flush(TimeSpan timeout)
    {
        for (var unsent = producer.Flush(timeout); unsent > 0; unsent--) Sent.Failed();
    }

    private void Send(string tenant, string phase)
    {
        var envelope = _streams[tenant].Next(phase);
        Sent.Add(new SentEvent(tenant, envelope.Id, phase, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        foreach (var topic in topics) producer.Produce(topic, envelope, r => { if (r.Error.IsError) Sent.Failed(); });
    }
}
