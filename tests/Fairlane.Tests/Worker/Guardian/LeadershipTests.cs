using Fairlane.Contracts;
using Fairlane.DevKafka;
using Fairlane.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fairlane.Tests.Worker.Guardian;

/// <summary>
/// Three worker processes, three Redis servers of the test's own, a Guardian run every three
/// seconds: one leader per period, a leader's death hands the next period to another node, one
/// Redis node down changes nothing, two down stop every run.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LeadershipTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private sealed class Fleet : IAsyncDisposable
    {
        private readonly List<PrivateRedis> _redis;
        private readonly MockCluster _cluster;

        private Fleet(MockCluster cluster, TestDatabase db, List<PrivateRedis> redis, List<(string Node, WorkerProcess Process, MetricsScrape Metrics)> workers)
        {
            _cluster = cluster;
            Db = db;
            _redis = redis;
            Workers = workers;
        }

        public TestDatabase Db { get; }
        public List<(string Node, WorkerProcess Process, MetricsScrape Metrics)> Workers { get; }
        public IReadOnlyList<PrivateRedis> Redis => _redis;

        public static async Task<Fleet> StartAsync(int handlerDelayMs)
        {
            var cluster = MockCluster.Start(1);
            var topics = new Topics(TestServers.UniqueName("t"));
            cluster.CreateTopics(topics.All, 3);
            var db = await TestDatabase.CreateAsync();
            await db.RegisterTenantsAsync(["t1", "t2", "t3"]);
            var redis = new List<PrivateRedis>();
            for (var i = 0; i < 3; i++) redis.Add(await PrivateRedis.StartAsync());
            var workers = new List<(string, WorkerProcess, MetricsScrape)>();
            foreach (var node in new[] { "w1", "w2", "w3" })
            {
                var port = FreePort.Next();
                var environment = WorkerEnvironment.For(db, cluster.BootstrapServers, topics.Prefix, port);
                for (var i = 0; i < 3; i++) environment[$"FAIRLANE__REDIS__ENDPOINTS__{i}"] = $"127.0.0.1:{redis[i].Port}";
                environment["FAIRLANE__REDIS__CONNECTTIMEOUTMS"] = "500";
                environment["FAIRLANE__WORKER__NODEID"] = node;
                environment["FAIRLANE__GUARDIAN__CRON"] = "0/3 * * * * ?";
                environment["FAIRLANE__GUARDIAN__LOCKTTLMS"] = "2000";
                environment["FAIRLANE__GUARDIAN__MAXRUNMS"] = "20000";
                environment["FAIRLANE__GUARDIAN__POLLMS"] = "50";
                environment["FAIRLANE__KAFKA__SESSIONTIMEOUTMS"] = "6000";
                environment["FAIRLANE__ENGINE__ARTIFICIALHANDLERDELAYMS"] = handlerDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
                environment["FAIRLANE__LOGGING__MINIMUMLEVEL"] = "Warning";
                workers.Add((node, WorkerProcess.Start(["run"], environment), new MetricsScrape(port)));
            }
            return new Fleet(cluster, db, redis, workers);
        }

        public Task<long> CompletedRunsAsync(DateTimeOffset since) =>
            Db.ScalarAsync<long>($"SELECT count(*) FROM guardian_runs WHERE status = 'completed' AND started_at >= '{since:O}'");

        public async Task<double> SumAsync(string metric)
        {
            var total = 0.0;
            foreach (var (_, _, metrics) in Workers) total += await metrics.SumAsync(metric) ?? 0;
            return total;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (_, process, metrics) in Workers)
            {
                metrics.Dispose();
                await process.DisposeAsync();
            }
            foreach (var r in _redis) await r.DisposeAsync();
            await Db.DisposeAsync();
            _cluster.Dispose();
        }
    }

    [Fact]
    public async Task One_leader_per_period_survives_one_Redis_node_down_and_stops_without_a_majority()
    {
        await using var fleet = await Fleet.StartAsync(handlerDelayMs: 0);
        var start = DateTimeOffset.UtcNow;

        // Never two leaders at once, sampled on every node while several periods pass.
        var mostLeaders = 0.0;
        await Eventually.WaitAsync(async () =>
        {
            mostLeaders = Math.Max(mostLeaders, await fleet.SumAsync("fairlane_leader"));
            return await fleet.CompletedRunsAsync(start);
        }, n => n >= 3, Deadline, "three completed runs");
        Assert.InRange(mostLeaders, 0, 1);
        Assert.Equal(0, await fleet.Db.ScalarAsync<long>("""
            SELECT count(*) FROM guardian_runs a JOIN guardian_runs b ON a.id < b.id
            WHERE a.period = b.period OR (a.started_at < coalesce(b.finished_at, now()) AND b.started_at < coalesce(a.finished_at, now()))
            """));
        Assert.True(await fleet.SumAsync("fairlane_lock_attempts_total") > await fleet.CompletedRunsAsync(start),
            "the other nodes should have tried and lost the lock");

        // One of three Redis nodes down: a majority still grants the lock.
        await fleet.Redis[0].StopAsync();
        var oneDown = DateTimeOffset.UtcNow;
        await Eventually.WaitAsync(() => fleet.CompletedRunsAsync(oneDown), n => n >= 2, Deadline, "runs with one Redis node down");

        // Two down: no majority, so nobody leads, and the metrics say why.
        await fleet.Redis[1].StopAsync();
        var twoDown = DateTimeOffset.UtcNow.AddSeconds(1); // a run that had the lock just before may still finish
        var noQuorumBefore = await fleet.SumAsync("fairlane_lock_attempts_total{outcome=\"no_quorum\"}");
        await Eventually.WaitAsync(() => fleet.SumAsync("fairlane_lock_attempts_total{outcome=\"no_quorum\"}"),
            n => n >= noQuorumBefore + 6, Deadline, "two periods of failed lock attempts on every node");
        Assert.Equal(0, await fleet.Db.ScalarAsync<long>($"SELECT count(*) FROM guardian_runs WHERE started_at >= '{twoDown:O}'"));
        output.WriteLine($"runs: {await fleet.Db.ScalarAsync<long>("SELECT count(*) FROM guardian_runs")}");
    }

    [Fact]
    public async Task When_the_leader_dies_mid_run_another_node_leads_the_next_period()
    {
        // Each reconcile transaction takes 2.5 s, so a run lasts long enough to kill its leader.
        await using var fleet = await Fleet.StartAsync(handlerDelayMs: 2_500);

        var running = await Eventually.WaitAsync(
            () => fleet.Db.ScalarAsync<string>("SELECT coalesce(max(node), '') FROM guardian_runs WHERE status = 'running'"),
            node => node.Length > 0, Deadline, "a run in progress");
        var leader = fleet.Workers.Single(w => w.Node == running);
        await leader.Process.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"killed leader {running}");

        var next = await Eventually.WaitAsync(
            () => fleet.Db.ScalarAsync<string>(
                $"SELECT coalesce(max(node), '') FROM guardian_runs WHERE status = 'completed' AND started_at > '{killedAt:O}'"),
            node => node.Length > 0, Deadline, "a later run completed by another node");
        Assert.NotEqual(running, next);
    }
}
