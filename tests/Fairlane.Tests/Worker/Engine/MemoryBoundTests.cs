using Fairlane.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fairlane.Tests.Worker.Engine;

/// <summary>
/// A backlog far larger than memory builds inside Fairlane: one tenant streams a million events at
/// a worker whose processing is slow. The overflow goes to the durable park, the managed heap stays
/// flat, and in the end every event is applied exactly once.
/// </summary>
[Trait("Category", "Integration")]
[Collection(SoloCollection.Name)]
public sealed class MemoryBoundTests(ITestOutputHelper output)
{
    private const int Events = 1_000_000;
    private const int Chunk = 5_000;
    private const string Tenant = "flood";

    // A million buffered events would take well over a gigabyte. The engine holds at most its buffer
    // bound (20,000 events) plus the park writer's and drainer's batches: ~125 MiB was measured here
    // (heap after a GC, garbage of older generations included); the bound leaves room for GC timing.
    private const long HeapBound = 256L * 1024 * 1024;

    [Fact(Timeout = 900_000)]
    public async Task A_million_event_backlog_is_parked_within_a_fixed_heap_and_applied_exactly_once()
    {
        // Every transaction waits on a slow downstream: at most ~50,000 events/s even in runs of 500,
        // in practice far fewer (ledger rows and park deletes dominate), below intake.
        await using var stack = await new StackBuilder().Kafka(1, 6).Tenants(Tenant).InProcessWorkers(0)
            .With("Engine:ArtificialHandlerDelayMs", 10)
            .With("Engine:MaxBatchSize", 500)
            .With("Engine:QuantumMs", 100)
            .With("Logging:MinimumLevel", "Warning")
            .StartAsync();
        var (topics, db) = (stack.Topics, stack.Db);
        var producer = stack.Producer;

        var metricsPort = FreePort.Next();
        var worker = stack.StartProcess(metricsPort);
        var metrics = stack.Scrape(metricsPort);

        using var sampling = new CancellationTokenSource();
        var heap = SampleMaxAsync(metrics, "fairlane_gc_heap_size_bytes", sampling.Token);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // The producer streams as fast as the worker takes the records in, at most two chunks (~3 MB)
        // ahead: the embedded broker keeps only ~5 MB per partition, and this tenant has one partition.
        var consumed = $"fairlane_events_consumed_total{{topic=\"{topics.Webhooks}\"}}";
        for (var sent = 0; sent < Events; sent += Chunk)
        {
            for (var i = sent; i < sent + Chunk; i++) producer.Produce(topics.Webhooks, EventSender.StockEvent(Tenant, i));
            Assert.Equal(0, await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(60))));
            var behind = sent;
            await Eventually.WaitAsync(() => Alive(worker, async () => await metrics.ReadAsync(consumed) ?? 0), n => n >= behind, TimeSpan.FromSeconds(60),
                $"the worker to take in {behind} events");
        }
        await Eventually.WaitAsync(() => Alive(worker, async () => await metrics.ReadAsync(consumed) ?? 0), n => n >= Events, TimeSpan.FromSeconds(60),
            "the worker to take in every event");
        var intake = clock.Elapsed;
        var processedDuringIntake = await db.ScalarAsync<long>("SELECT count(*) FROM processed_events");
        var parked = await metrics.SumAsync("fairlane_events_parked_total") ?? 0;
        output.WriteLine($"intake of {Events:N0} events took {intake.TotalSeconds:F1} s ({Events / intake.TotalSeconds:N0}/s); " +
            $"{processedDuringIntake:N0} processed meanwhile, {parked:N0} went through the park");
        Assert.True(parked > Events / 2, $"the overflow should go to the park, not stay in memory or the broker ({parked} parked)");

        await Eventually.WaitAsync(() => Alive(worker, () => db.ScalarAsync<long>("SELECT count(*) FROM processed_events")), n => n >= Events,
            TimeSpan.FromMinutes(8), "every event processed");
        var total = clock.Elapsed;
        await sampling.CancelAsync();
        var maxHeap = await heap;
        output.WriteLine($"all processed after {total.TotalSeconds:F1} s ({Events / total.TotalSeconds:N0}/s overall); " +
            $"largest managed heap after a GC: {maxHeap / 1024 / 1024:F0} MiB");

        Assert.Equal(Events, await db.ScalarAsync<long>("SELECT count(*) FROM processed_events WHERE tenant_id = 'flood'"));
        Assert.Equal(Events, await db.ScalarAsync<long>("SELECT count(DISTINCT event_id) FROM processed_events"));
        await Eventually.WaitAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM parked_events"), n => n == 0, TimeSpan.FromSeconds(60),
            "the park to empty");
        Assert.InRange(maxHeap, 1, HeapBound);
    }

    // Fails at once, with the worker's output, if it died: waiting out the deadline would tell nothing.
    private static Task<T> Alive<T>(WorkerProcess worker, Func<Task<T>> probe) => worker.HasExited
        ? throw new InvalidOperationException($"The worker exited.\nstdout:\n{worker.StandardOutput}\nstderr:\n{worker.StandardError}")
        : probe();

    // The largest value a gauge showed, sampled until cancelled.
    private static async Task<double> SampleMaxAsync(MetricsScrape metrics, string series, CancellationToken stop)
    {
        var max = 0.0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
                if (await metrics.ReadAsync(series) is { } value) max = Math.Max(max, value);
        }
        catch (OperationCanceledException)
        {
        }
        return max;
    }
}
