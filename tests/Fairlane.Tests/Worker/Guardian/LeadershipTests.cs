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

    private sealed record Node(string Name, WorkerProcess Process, MetricsScrape Metrics);

    /// <summary>A stack of three worker processes (w1-w3) and three Redis servers of the test's own.</summary>
    private static async Task<(TestStack Stack, List<Node> Nodes)> StartAsync(int handlerDelayMs)
    {
        var stack = await new StackBuilder().Kafka(1, 3).Tenants("t1", "t2", "t3").PrivateRedis(3).ForProcesses()
            .With("Redis:ConnectTimeoutMs", 500)
            .With("Guardian:Cron", "0/3 * * * * ?")
            .With("Guardian:LockTtlMs", 2000)
            .With("Guardian:MaxRunMs", 20000)
            .With("Guardian:PollMs", 50)
            .With("Engine:ArtificialHandlerDelayMs", handlerDelayMs)
            .StartAsync();
        var nodes = new List<Node>();
        foreach (var name in new[] { "w1", "w2", "w3" })
        {
            var port = FreePort.Next();
            nodes.Add(new Node(name, stack.StartProcess(port, s => s.Set("Worker:NodeId", name)), stack.Scrape(port)));
        }
        return (stack, nodes);
    }

    private static Task<long> CompletedRunsAsync(TestStack stack, DateTimeOffset since) =>
        stack.Db.ScalarAsync<long>($"SELECT count(*) FROM guardian_runs WHERE status = 'completed' AND started_at >= '{since:O}'");

    private static async Task<double> SumAsync(List<Node> nodes, string metric)
    {
        var total = 0.0;
        foreach (var node in nodes) total += await node.Metrics.SumAsync(metric) ?? 0;
        return total;
    }

    [Fact(Timeout = 300_000)]
    public async Task One_leader_per_period_survives_one_Redis_node_down_and_stops_without_a_majority()
    {
        var (fleet, nodes) = await StartAsync(handlerDelayMs: 0);
        await using var _ = fleet;
        var start = DateTimeOffset.UtcNow;

        // Never two leaders at once, sampled on every node while several periods pass.
        var mostLeaders = 0.0;
        await Eventually.WaitAsync(async () =>
        {
            mostLeaders = Math.Max(mostLeaders, await SumAsync(nodes, "fairlane_leader"));
            return await CompletedRunsAsync(fleet, start);
        }, n => n >= 3, Deadline, "three completed runs");
        Assert.InRange(mostLeaders, 0, 1);
        Assert.Equal(0, await fleet.Db.ScalarAsync<long>("""
            SELECT count(*) FROM guardian_runs a JOIN guardian_runs b ON a.id < b.id
            WHERE a.period = b.period OR (a.started_at < coalesce(b.finished_at, now()) AND b.started_at < coalesce(a.finished_at, now()))
            """));
        Assert.True(await SumAsync(nodes, "fairlane_lock_attempts_total") > await CompletedRunsAsync(fleet, start),
            "the other nodes should have tried and lost the lock");

        // One of three Redis nodes down: a majority still grants the lock.
        await fleet.Redis[0].StopAsync();
        var oneDown = DateTimeOffset.UtcNow;
        await Eventually.WaitAsync(() => CompletedRunsAsync(fleet, oneDown), n => n >= 2, Deadline, "runs with one Redis node down");

        // Two down: no majority, so nobody leads, and the metrics say why.
        await fleet.Redis[1].StopAsync();
        var twoDown = DateTimeOffset.UtcNow.AddSeconds(1); // a run that had the lock just before may still finish
        var noQuorumBefore = await SumAsync(nodes, "fairlane_lock_attempts_total{outcome=\"no_quorum\"}");
        await Eventually.WaitAsync(() => SumAsync(nodes, "fairlane_lock_attempts_total{outcome=\"no_quorum\"}"),
            n => n >= noQuorumBefore + 6, Deadline, "two periods of failed lock attempts on every node");
        Assert.Equal(0, await fleet.Db.ScalarAsync<long>($"SELECT count(*) FROM guardian_runs WHERE started_at >= '{twoDown:O}'"));
        output.WriteLine($"runs: {await fleet.Db.ScalarAsync<long>("SELECT count(*) FROM guardian_runs")}");
    }

    [Fact(Timeout = 300_000)]
    public async Task When_the_leader_dies_mid_run_another_node_leads_the_next_period()
    {
        // Each reconcile transaction takes 2.5 s, so a run lasts long enough to kill its leader.
        var (fleet, nodes) = await StartAsync(handlerDelayMs: 2_500);
        await using var _ = fleet;

        var running = await Eventually.WaitAsync(
            () => fleet.Db.ScalarAsync<string>("SELECT coalesce(max(node), '') FROM guardian_runs WHERE status = 'running'"),
            node => node.Length > 0, Deadline, "a run in progress");
        var leader = nodes.Single(w => w.Name == running);
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
