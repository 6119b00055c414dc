using System.Diagnostics;
using Confluent.Kafka;
using Fairlane.Producing;
using Fairlane.LoadTest.Load;
using Fairlane.LoadTest.Scenarios;

namespace Fairlane.LoadTest.Chaos;

/// <summary>
/// Sends the chaos load open-loop: every tenant's reports at its steady rate, and every
/// <see cref="PoisonEvery"/> one poison record, cycling through the catalogue's kinds and the
/// tenants. Only what the brokers acknowledged enters the model (a report refused or never
/// acknowledged counts as a send failure, which makes the run inconclusive rather than lossy).
/// </summary>
internal sealed class ChaosSender(FairlaneProducer producer, string topic, LoadPhase phase, int products, int seed, int maxMessageBytes)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private readonly object _gate = new();
    private readonly List<SentReport> _acknowledged = [];
    private readonly List<PlacedRecord> _poison = [];
    private readonly List<Task> _poisonSends = [];
    private long _sent;
    private long _failed;

    public StockModel Model { get; } = new(Seeding.CatalogSeeder.InitialStock);

    public TimeSpan PoisonEvery => TimeSpan.FromSeconds(phase.Seconds / (PoisonCatalogue.Kinds.Count * 3 + 1));

    public long Sent => Interlocked.Read(ref _sent);
    public long Failed => Interlocked.Read(ref _failed);

    public IReadOnlyList<SentReport> Acknowledged
    {
        get { lock (_gate) return [.. _acknowledged]; }
    }

    public IReadOnlyList<PlacedRecord> Poison
    {
        get { lock (_gate) return [.. _poison]; }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var streams = phase.Load.ToDictionary(l => l.Tenant, l => new ChaosTraffic(l.Tenant, products, seed, () => DateTimeOffset.UtcNow), StringComparer.Ordinal);
        var pacers = phase.Load.Select(l => (l.Tenant, Pacer: new TenantPacer(l.Schedule, l.InitialCredit))).ToList();
        var clock = Stopwatch.StartNew();
        var nextPoison = PoisonEvery.TotalSeconds;
        var poisonCount = 0;
        using var timer = new PeriodicTimer(Tick);
        while (true)
        {
            var now = Math.Min(clock.Elapsed.TotalSeconds, phase.Seconds);
            foreach (var (tenant, pacer) in pacers)
            {
                for (var due = pacer.Due(now); due > 0; due--) Send(streams[tenant]);
            }
            if (now >= nextPoison && now < phase.Seconds)
            {
                var kind = PoisonCatalogue.Kinds[poisonCount % PoisonCatalogue.Kinds.Count];
                var tenant = phase.Load[poisonCount * 7 % phase.Load.Count].Tenant;
                SendPoison(PoisonCatalogue.Build(kind, tenant, poisonCount, DateTimeOffset.UtcNow, maxMessageBytes), cancellationToken);
                poisonCount++;
                nextPoison += PoisonEvery.TotalSeconds;
            }
            if (now >= phase.Seconds) break;
            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }

    /// <summary>Waits for the brokers to acknowledge everything; what is still queued after the timeout counts as failed.</summary>
    public async Task FlushAsync(TimeSpan timeout)
    {
        for (var unsent = producer.Flush(timeout); unsent > 0; unsent--) Interlocked.Increment(ref _failed);
        Task[] poison;
        lock (_gate) poison = [.. _poisonSends];
        await Task.WhenAll(poison);
    }

    private void Send(ChaosTraffic stream)
    {
        var (envelope, report) = stream.Next();
        Interlocked.Increment(ref _sent);
        producer.Produce(topic, envelope, r =>
        {
            if (r.Error.IsError)
            {
                Interlocked.Increment(ref _failed);
                return;
            }
            lock (_gate)
            {
                _acknowledged.Add(report);
                Model.Add(report);
            }
        });
    }

    private void SendPoison(PoisonRecord record, CancellationToken cancellationToken)
    {
        async Task SendAsync()
        {
            try
            {
                var result = await producer.ProduceRawAsync(topic, new Message<string, byte[]> { Key = record.Key, Value = record.Value }, cancellationToken);
                lock (_gate) _poison.Add(new PlacedRecord(new Origin(topic, result.Partition.Value, result.Offset.Value), record.Reason));
            }
            catch (ProduceException<string, byte[]>)
            {
                Interlocked.Increment(ref _failed);
            }
        }
        var sending = SendAsync();
        lock (_gate) _poisonSends.Add(sending);
    }
}
