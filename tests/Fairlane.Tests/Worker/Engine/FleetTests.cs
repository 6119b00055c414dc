using Fairlane.Contracts;
using Fairlane.Contracts.Producing;
using Fairlane.DevKafka;
using Fairlane.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fairlane.Tests.Worker.Engine;

/// <summary>Real worker processes against one cluster and database: crashes and a fleet that grows.</summary>
[Trait("Category", "Integration")]
public sealed class FleetTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    private sealed record Fleet(MockCluster Cluster, Topics Topics, TestDatabase Db, FairlaneProducer Producer) : IAsyncDisposable
    {
        public static async Task<Fleet> StartAsync(int tenants)
        {
            var cluster = MockCluster.Start(3);
            var topics = new Topics(TestServers.UniqueName("t"));
            cluster.CreateTopics(topics.All, 24);
            var db = await TestDatabase.CreateAsync();
            await db.RegisterTenantsAsync(EventSender.Tenants(tenants));
            return new Fleet(cluster, topics, db, new FairlaneProducer(cluster.BootstrapServers));
        }

        public Dictionary<string, string> Environment(int metricsPort, int handlerDelayMs)
        {
            var environment = WorkerEnvironment.For(Db, Cluster.BootstrapServers, Topics.Prefix, metricsPort);
            // A killed member holds its partitions until its session expires: keep that short here.
            environment["FAIRLANE__KAFKA__SESSIONTIMEOUTMS"] = "6000";
            environment["FAIRLANE__ENGINE__ARTIFICIALHANDLERDELAYMS"] = handlerDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
            environment["FAIRLANE__LOGGING__MINIMUMLEVEL"] = "Warning";
            return environment;
        }

        public Task<long> ProcessedAsync() => Db.ScalarAsync<long>("SELECT count(*) FROM processed_events");

        public async ValueTask DisposeAsync()
        {
            Producer.Dispose();
            await Db.DisposeAsync();
            Cluster.Dispose();
        }
    }

    [Fact]
    public async Task Killing_the_worker_at_random_points_loses_nothing_and_applies_nothing_twice()
    {
        const int events = 20_000;
        await using var fleet = await Fleet.StartAsync(tenants: 20);
        var sent = await EventSender.SendAsync(fleet.Producer, fleet.Topics.Webhooks, events, tenants: 20);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");

        for (var crash = 1; crash <= 3; crash++)
        {
            await using var worker = WorkerProcess.Start(["run"], fleet.Environment(FreePort.Next(), handlerDelayMs: 1));
            var before = await fleet.ProcessedAsync();
            var target = Math.Min(events - 1, before + random.Next(300, 3_000));
            await Eventually.WaitAsync(fleet.ProcessedAsync, n => n >= target, Deadline, $"progress to {target} before crash {crash}");
            await worker.KillAsync();
            output.WriteLine($"crash {crash}: killed with {await fleet.ProcessedAsync()} processed");
        }

        await using var survivor = WorkerProcess.Start(["run"], fleet.Environment(FreePort.Next(), handlerDelayMs: 1));
        await Eventually.WaitAsync(fleet.ProcessedAsync, n => n >= events, Deadline, "every event processed after the crashes");
        await Eventually.WaitAsync(() => fleet.Db.ScalarAsync<long>("SELECT count(*) FROM parked_events"), n => n == 0, Deadline, "the park to empty");

        Assert.Equal(events, await fleet.ProcessedAsync());
        Assert.Equal(sent.Select(e => e.Id).Order(), await EventIdsAsync(fleet.Db));
    }

    [Fact]
    public async Task A_second_worker_joining_mid_stream_takes_partitions_and_nothing_is_lost_or_doubled()
    {
        await using var fleet = await Fleet.StartAsync(tenants: 48);
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        // Both nodes run every agent: each topic has its own consumer group, so the busy webhooks
        // topic is split between them even though three idle topics are consumed too.
        await using var a = WorkerProcess.Start(["run"], fleet.Environment(portA, handlerDelayMs: 3));
        using var metricsA = new MetricsScrape(portA);
        using var metricsB = new MetricsScrape(portB);
        var assigned = $"fairlane_assigned_partitions{{topic=\"{fleet.Topics.Webhooks}\"}}";
        const string processed = "fairlane_events_processed_total{agent=\"watcher\"}";
        WorkerProcess? b = null;
        try
        {
            // Stream until the second worker owns partitions, then a little longer, so both have work.
            var sent = new List<Fairlane.Contracts.Events.EventEnvelope>();
            var chunksAfterJoin = -1;
            for (var chunk = 0; chunksAfterJoin < 5; chunk++)
            {
                Assert.True(chunk < 120, $"the second worker never got partitions. Its warnings:\n{b?.StandardOutput}");
                sent.AddRange(await EventSender.SendAsync(fleet.Producer, fleet.Topics.Webhooks, 500, tenants: 48, firstSequence: chunk * 500));
                if (chunk == 2) b = WorkerProcess.Start(["run"], fleet.Environment(portB, handlerDelayMs: 3));
                if (chunksAfterJoin >= 0) chunksAfterJoin++;
                else if (b is not null && (await metricsB.ReadAsync(assigned) ?? 0) > 0) chunksAfterJoin = 0;
                await Task.Delay(250); // paces the stream; nothing waits on this
            }

            await Eventually.WaitAsync(fleet.ProcessedAsync, n => n >= sent.Count, Deadline, "every event processed by the fleet");
            var (byA, byB) = (await metricsA.ReadAsync(processed) ?? 0, await metricsB.ReadAsync(processed) ?? 0);
            output.WriteLine($"{sent.Count} events: worker A processed {byA}, worker B processed {byB}");
            Assert.True(byB > 0, "the second worker processed nothing");
            Assert.True(byA > 0);
            Assert.Equal(sent.Count, await fleet.ProcessedAsync());
            Assert.Equal(sent.Select(e => e.Id).Order(), await EventIdsAsync(fleet.Db));
        }
        finally
        {
            if (b is not null) await b.DisposeAsync();
        }
    }

    private static async Task<List<string>> EventIdsAsync(TestDatabase db)
    {
        var ids = new List<string>();
        await using var cmd = db.Owner.CreateCommand("SELECT event_id FROM processed_events ORDER BY event_id");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids.Order().ToList();
    }
}
