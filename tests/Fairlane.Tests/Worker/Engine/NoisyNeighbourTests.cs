using Fairlane.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fairlane.Tests.Worker.Engine;

[Trait("Category", "Integration")]
public sealed class NoisyNeighbourTests(ITestOutputHelper output)
{
    private const int NoisyEvents = 50_000;
    private const int QuietTenants = 20;
    private const int QuietEventsEach = 50;

    [Fact(Timeout = 600_000)]
    public async Task Quiet_tenants_are_not_blocked_by_a_noisy_backlog()
    {
        // ~2 ms per event; the noisy tenant may run 8 at once (different items), quiet ones 1.
        await using var stack = await new StackBuilder().Kafka(3, 24).With("Engine:ArtificialHandlerDelayMs", 2).With("Engine:Workers", 8).StartAsync();
        await stack.Db.RegisterTenantsAsync(["noisy"], concurrency: 8);
        var quiet = Enumerable.Range(0, QuietTenants).Select(i => $"quiet-{i:00}").ToArray();
        await stack.Db.RegisterTenantsAsync(quiet);

        // The flood arrives first, as fast as the worker takes it in (it parks what it cannot hold).
        await stack.SendPacedAsync(Enumerable.Range(0, NoisyEvents).Select(i => EventSender.StockEvent("noisy", i)));
        var parkedAfterFlood = await stack.Db.ScalarAsync<long>("SELECT count(*) FROM parked_events");
        output.WriteLine($"after the flood: {parkedAfterFlood} noisy events parked");

        // Quiet tenants trickle in while the flood is being worked off.
        var quietEvents = new List<Fairlane.Contracts.Events.EventEnvelope>();
        for (var round = 0; round < QuietEventsEach; round++)
        {
            foreach (var tenant in quiet)
            {
                var e = EventSender.StockEvent(tenant, round);
                quietEvents.Add(e);
                stack.Producer.Produce(stack.Topics.Webhooks, e);
            }
            stack.Producer.Flush(TimeSpan.FromSeconds(10));
            await Task.Delay(50); // pacing the producer, not synchronisation
        }

        var quietDone = await Eventually.WaitAsync(
            () => stack.Db.ScalarAsync<long>("SELECT count(*) FROM processed_events WHERE tenant_id LIKE 'quiet-%'"),
            n => n >= quietEvents.Count, TimeSpan.FromMinutes(3), "every quiet event processed");
        var noisyDoneThen = await stack.Db.ScalarAsync<long>("SELECT count(*) FROM processed_events WHERE tenant_id = 'noisy'");
        output.WriteLine($"when the last quiet event was done: noisy {noisyDoneThen}/{NoisyEvents} done");
        Assert.True(noisyDoneThen < NoisyEvents / 2, $"quiet tenants waited for the noisy backlog: {noisyDoneThen} noisy events were done first");

        var latencies = await QuietLatenciesAsync(stack.Db);
        output.WriteLine($"quiet end-to-end latency ms: p50 {latencies.P50:F0}, p95 {latencies.P95:F0}, p99 {latencies.P99:F0}, max {latencies.Max:F0}");

        // The noisy backlog, mostly parked, drains too: nothing lost, nothing applied twice.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n >= NoisyEvents + quietEvents.Count, TimeSpan.FromMinutes(5),
            "the whole noisy backlog processed");
        output.WriteLine($"noisy backlog finished {clock.Elapsed.TotalSeconds:F1} s after the quiet tenants");
        Assert.Equal(NoisyEvents + quietEvents.Count, await stack.Db.ScalarAsync<long>("SELECT count(DISTINCT (tenant_id, event_id)) FROM processed_events"));
        // Records re-delivered by a rebalance may be parked again; they drain as duplicates and leave nothing behind.
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>("SELECT count(*) FROM parked_events"), n => n == 0,
            TimeSpan.FromSeconds(60), "the park to empty");
        Assert.True(parkedAfterFlood > NoisyEvents / 2, $"the backlog should have been parked, not held in memory ({parkedAfterFlood} parked)");
    }

    private static async Task<(double P50, double P95, double P99, double Max)> QuietLatenciesAsync(TestDatabase db)
    {
        await using var cmd = db.Owner.CreateCommand("""
            SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - produced_at) * 1000),
                   max(extract(epoch FROM processed_at - produced_at) * 1000)::float8
            FROM processed_events WHERE tenant_id LIKE 'quiet-%'
            """);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        var p = reader.GetFieldValue<double[]>(0);
        return (p[0], p[1], p[2], reader.GetDouble(1));
    }
}
