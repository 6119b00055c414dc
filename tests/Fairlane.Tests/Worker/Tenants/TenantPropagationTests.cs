using System.Diagnostics;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Tenants;

/// <summary>
/// A tenant change reaches every node within 2 s through the Redis notice. The periodic refresh is set
/// to a minute, so nothing but the notice can deliver it in time.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TenantPropagationTests
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(2);

    /// <summary>A database, a Kafka cluster and topics that the nodes a test adds share; no node yet.</summary>
    private static Task<TestStack> StartAsync(int privateRedis = 0) =>
        new StackBuilder().Kafka(1, 2).PrivateRedis(privateRedis).InProcessWorkers(0).With("Engine:TenantRefreshMs", 60000).StartAsync();

    private static Task<InProcessWorker> AddWorkerAsync(TestStack fleet, params int[] redisPorts) =>
        fleet.StartWorkerAsync(s => s.SetList("Redis:Endpoints", TestStack.Endpoints(redisPorts)));

    private static async Task<TimeSpan> WaitForEngineAsync(AdminClient node, string tenant, Func<EngineView, bool> applied, string what)
    {
        var clock = Stopwatch.StartNew();
        await Eventually.WaitAsync(() => node.EngineViewAsync(tenant), applied, Propagation, what);
        return clock.Elapsed;
    }

    [Fact(Timeout = 120_000)]
    public async Task A_change_made_on_one_node_is_applied_by_another_within_2_seconds()
    {
        await using var fleet = await StartAsync();
        var redis = TestServers.RedisPorts.ToArray();
        var a = await AddWorkerAsync(fleet, redis);
        var b = await AddWorkerAsync(fleet, redis);
        await NoticeSubscribers.WaitAsync(redis, fleet.KeyPrefix, nodes: 2);
        using var adminA = new AdminClient(a.AdminPort);
        using var adminB = new AdminClient(b.AdminPort);

        Assert.Equal(201, (await adminA.PostAsync("/admin/tenants", """{"id":"acme"}""")).Status);
        await WaitForEngineAsync(adminB, "acme", v => v is { Known: true, Status: "active", Weight: 1 }, "node B to learn of the new tenant");

        var patched = await adminA.PatchAsync("/admin/tenants/acme", """{"weight":7,"concurrency":3,"ratePerSecond":25,"maxQueueDepth":321}""");
        Assert.Equal(200, patched.Status);
        await WaitForEngineAsync(adminB, "acme", v => v is { Weight: 7, Concurrency: 3, RatePerSecond: 25, MaxQueueDepth: 321 },
            "node B to apply the new limits");

        Assert.Equal(200, (await adminA.PostAsync("/admin/tenants/acme/pause")).Status);
        await WaitForEngineAsync(adminB, "acme", v => v.Status == "paused", "node B to see the tenant paused");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_change_made_with_the_cli_reaches_a_running_node_within_2_seconds()
    {
        await using var fleet = await StartAsync();
        await fleet.Db.RegisterTenantsAsync(["acme"]);
        var node = await AddWorkerAsync(fleet, TestServers.RedisPorts.ToArray());
        await NoticeSubscribers.WaitAsync(TestServers.RedisPorts, fleet.KeyPrefix, nodes: 1);
        using var admin = new AdminClient(node.AdminPort);
        await WaitForEngineAsync(admin, "acme", v => v.Known, "the node to read the tenant at start");

        var cli = await fleet.RunCliAsync(["tenants", "set", "acme", "--weight", "12", "--concurrency", "5"], TimeSpan.FromSeconds(60));
        Assert.True(cli.ExitCode == 0, cli.Stderr);

        await WaitForEngineAsync(admin, "acme", v => v is { Weight: 12, Concurrency: 5 }, "the node to apply the CLI's change");
    }

    [Fact(Timeout = 120_000)]
    public async Task Notices_still_arrive_while_one_redis_node_is_down()
    {
        await using var fleet = await StartAsync();
        var closed = FreePort.Next(); // nothing listens there
        int[] redis = [TestServers.RedisPorts[0], closed, TestServers.RedisPorts[2]];
        var a = await AddWorkerAsync(fleet, redis);
        var b = await AddWorkerAsync(fleet, redis);
        await NoticeSubscribers.WaitAsync([TestServers.RedisPorts[0], TestServers.RedisPorts[2]], fleet.KeyPrefix, nodes: 2);
        using var adminA = new AdminClient(a.AdminPort);
        using var adminB = new AdminClient(b.AdminPort);

        Assert.Equal(201, (await adminA.PostAsync("/admin/tenants", """{"id":"acme","weight":4}""")).Status);

        await WaitForEngineAsync(adminB, "acme", v => v is { Known: true, Weight: 4 }, "node B to apply the change with a Redis node down");
    }

    [Fact(Timeout = 120_000)]
    public async Task After_its_redis_node_restarts_a_node_catches_up_and_hears_notices_again()
    {
        await using var fleet = await StartAsync(privateRedis: 1);
        var redis = fleet.Redis[0];
        var a = await AddWorkerAsync(fleet, redis.Port);
        var b = await AddWorkerAsync(fleet, redis.Port);
        await NoticeSubscribers.WaitAsync([redis.Port], fleet.KeyPrefix, nodes: 2);
        using var adminA = new AdminClient(a.AdminPort);
        using var adminB = new AdminClient(b.AdminPort);
        Assert.Equal(201, (await adminA.PostAsync("/admin/tenants", """{"id":"acme"}""")).Status);
        await WaitForEngineAsync(adminB, "acme", v => v.Known, "node B to learn of the new tenant");

        // The notice of this change is lost: its only Redis node is down.
        await redis.StopAsync();
        Assert.Equal(200, (await adminA.PatchAsync("/admin/tenants/acme", """{"weight":7}""")).Status);
        await redis.StartAgainAsync();

        // Node B re-reads once its subscription is back, long before its minute-long periodic refresh.
        await Eventually.WaitAsync(() => adminB.EngineViewAsync("acme"), v => v.Weight == 7, TimeSpan.FromSeconds(30),
            "node B to catch up on the change made while Redis was down");
        await NoticeSubscribers.WaitAsync([redis.Port], fleet.KeyPrefix, nodes: 2);
        Assert.Equal(200, (await adminA.PatchAsync("/admin/tenants/acme", """{"weight":9}""")).Status);
        await WaitForEngineAsync(adminB, "acme", v => v.Weight == 9, "node B to hear notices again after the restart");
    }
}
