using Fairlane.Tests.Infrastructure;
using Fairlane.Tests.Worker.Tenants;

namespace Fairlane.Tests.Worker.Guardian;

/// <summary>Starting a run and listing runs, through the admin API and the CLI.</summary>
[Trait("Category", "Integration")]
public sealed class OperateTests
{
    [Fact(Timeout = 120_000)]
    public async Task A_run_started_through_the_admin_API_is_listed_by_the_API_and_the_CLI()
    {
        await using var stack = await new StackBuilder().Kafka(1, 3).StartAsync();
        await stack.Db.RegisterTenantsAsync(["a", "b"]);
        using var admin = new AdminClient(stack.Worker.AdminPort);
        using var stranger = new AdminClient(stack.Worker.AdminPort, token: null);

        Assert.Equal(401, (await stranger.PostAsync("/admin/guardian/run-now")).Status);
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM guardian_runs"));

        var run = await admin.PostAsync("/admin/guardian/run-now");
        Assert.True(run.Status == 200, run.ToString());
        Assert.Equal("Completed", run.Json.GetProperty("outcome").GetString());
        Assert.Equal(2, run.Json.GetProperty("tenants").GetInt32());
        var runId = run.Json.GetProperty("runId").GetString();

        var runs = await admin.GetAsync("/admin/guardian/runs?limit=5");
        Assert.Equal(200, runs.Status);
        var listed = Assert.Single(runs.Json.EnumerateArray());
        Assert.Equal(runId, listed.GetProperty("id").GetString());
        Assert.Equal("completed", listed.GetProperty("status").GetString());
        Assert.Equal(2, listed.GetProperty("tenantsDone").GetInt32());

        // The CLI needs no Kafka: it is pointed at a closed port, as an operator's shell may be.
        static void NoKafka(WorkerSettings s) => s.Set("Kafka:BootstrapServers", "127.0.0.1:1");
        var (code, stdout, stderr) = await stack.RunCliAsync(["guardian", "runs"], TimeSpan.FromSeconds(60), NoKafka);
        Assert.True(code == 0, stderr);
        Assert.Contains("completed", stdout);
        Assert.Contains("2/2", stdout);

        var (usage, _, usageError) = await stack.RunCliAsync(["guardian", "reconcile-everything"], TimeSpan.FromSeconds(60), NoKafka);
        Assert.Equal(2, usage);
        Assert.Contains("run-now or runs", usageError);
    }
}
