using Fairlane.Partitioning.Offsets;
using Fairlane.Worker.DeadLetters;
using System.Diagnostics;
using Fairlane.Agents.Guardian;
using Fairlane.Agents.Handling;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Guardian;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Worker.Guardian;

/// <summary>
/// A Guardian run ends, and says how, whatever its tenants do: held tenants are left out, a tenant
/// whose job is dead-lettered counts as failed, and a run a dead leader left running is closed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunCompletionTests
{
    // Far above what a run of a few tenants takes, far below the test's own timeout: a run that
    // waits on a tenant that never finishes is cancelled at this cap, and the test sees it.
    private const int MaxRunMs = 20_000;
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(90);

    private static Task<TestStack> StartAsync() =>
        new StackBuilder().Kafka(1, 6).With("Guardian:PollMs", 50).With("Guardian:LockTtlMs", 5000).With("Guardian:MaxRunMs", MaxRunMs).StartAsync();

    private static GuardianRunner Runner(TestStack stack) => stack.Worker.Services.GetRequiredService<GuardianRunner>();

    private static Task<string> RunRowAsync(TestStack stack, Guid? runId) => stack.Db.ScalarAsync<string>(
        $"SELECT status || ' ' || tenants || ' ' || tenants_done || ' ' || tenants_failed FROM guardian_runs WHERE id = '{runId}'");

    [Fact(Timeout = 180_000)]
    public async Task Held_tenants_are_not_fanned_out_and_the_run_completes()
    {
        await using var stack = await StartAsync();
        await stack.Db.RegisterTenantsAsync(["open"]);
        await stack.Db.RegisterTenantsAsync(["resting"], status: "paused");
        await stack.Db.RegisterTenantsAsync(["spent"]);
        await stack.Db.ScalarAsync<int>("""
            UPDATE tenants SET monthly_budget = 1 WHERE id = 'spent';
            INSERT INTO tenant_usage (tenant_id, month, jobs) VALUES ('spent', date_trunc('month', now() AT TIME ZONE 'utc')::date, 1);
            SELECT 1
            """);
        // The engine must know 'spent' is held, or a job fanned out to it would simply run.
        var engine = stack.Worker.Services.GetRequiredService<FairEngine>();
        await Eventually.WaitAsync(() => engine.TenantState("spent").Record?.IsHeld == true, TimeSpan.FromSeconds(30), "the engine to hold 'spent'");

        using var timeout = new CancellationTokenSource(TestTimeout);
        var report = await Runner(stack).RunAsync("manual", null, timeout.Token);

        Assert.Equal(GuardianOutcome.Completed, report.Outcome);
        Assert.Equal(1, report.Tenants);
        Assert.Equal("completed 1 1 0", await RunRowAsync(stack, report.RunId));
        Assert.Equal(1, await stack.Db.ScalarAsync<long>($"SELECT count(*) FROM processed_events WHERE event_id = 'guardian.{report.RunId:N}'"));
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM parked_events"));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_tenant_whose_job_is_dead_lettered_counts_as_failed_and_the_run_completes_long_before_its_cap()
    {
        await using var stack = await StartAsync();
        await stack.Db.RegisterTenantsAsync(["steady", "broken"]);
        // The database refuses the reconcile job's ledger row for this tenant (not transiently), so the
        // job fails for good and is dead-lettered on its first attempt. (A misconfigured channel no longer
        // fails a job: it is skipped and alerted.) The failure notice's own row is let through.
        await stack.Db.ExecuteAsync("""
            CREATE FUNCTION refuse_broken_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the test refuses reconcile jobs of tenant broken'; END $$;
            CREATE TRIGGER refuse_broken_jobs BEFORE INSERT ON processed_events FOR EACH ROW
                WHEN (NEW.tenant_id = 'broken' AND NEW.event_id NOT LIKE '%.dead-lettered') EXECUTE FUNCTION refuse_broken_jobs();
            """);
        using var metrics = new MetricsScrape(stack.Worker.Services.GetRequiredService<IOptions<HttpOptions>>().Value.MetricsPort);
        var failedBefore = await metrics.SumAsync("fairlane_guardian_tenants_failed_total") ?? 0;

        using var timeout = new CancellationTokenSource(TestTimeout);
        var clock = Stopwatch.StartNew();
        var report = await Runner(stack).RunAsync("manual", null, timeout.Token);

        Assert.Equal(GuardianOutcome.Completed, report.Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(MaxRunMs / 2), $"the run took {clock.Elapsed}");
        Assert.Equal("completed 2 1 1", await RunRowAsync(stack, report.RunId));
        Assert.True(await metrics.SumAsync("fairlane_guardian_tenants_failed_total") >= failedBefore + 1, "the failed tenant is counted");

        // The same notice again (the dead letter re-published after a crash) does not count the tenant twice.
        var handler = stack.Worker.Services.GetServices<IEventHandler>().OfType<ReconcileHandler>().Single();
        var job = new EngineEvent
        {
            Partition = new PartitionKey(stack.Topics.Guardian, 0), Offset = 0, Key = "broken", Value = [], Headers = [], Handler = handler,
            Envelope = EventCatalog.ReconcileTenant.Decode(EventCatalog.ReconcileTenant.Create("broken",
                new ReconcileTenant { RunId = report.RunId!.Value, Epoch = report.Epoch!.Value, DriftThreshold = 5 },
                id: $"guardian.{report.RunId:N}")),
        };
        Assert.False(await stack.Worker.Services.GetRequiredService<DeadLetterNotice>().TellAsync(handler, job, CancellationToken.None));
        Assert.Equal("completed 2 1 1", await RunRowAsync(stack, report.RunId));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_tenant_held_after_the_fan_out_counts_as_failed_instead_of_keeping_the_run_open()
    {
        // Regression: a job fanned out to a tenant that was paused before the job ran waited in the park,
        // and the run (and the Guardian lock) waited for it until MaxRunMs.
        await using var stack = await StartAsync();
        await stack.Db.RegisterTenantsAsync(["resting"]);
        // A first run reconciles the tenant: its job went through, so its partition's park has been read
        // and a later job of it is not parked for that reason.
        using (var timeout = new CancellationTokenSource(TestTimeout))
            Assert.Equal(GuardianOutcome.Completed, (await Runner(stack).RunAsync("manual", null, timeout.Token)).Outcome);
        await stack.Db.RegisterTenantsAsync(["resting"], status: "paused");
        var engine = stack.Worker.Services.GetRequiredService<FairEngine>();
        await Eventually.WaitAsync(() => engine.TenantState("resting").Record?.IsHeld == true, TimeSpan.FromSeconds(30), "the engine to hold 'resting'");
        // The run as its leader left it after the fan-out, with the tenant's job on its way.
        var run = Guid.NewGuid();
        var epoch = await stack.Db.ScalarAsync<long>($"""
            WITH bumped AS (UPDATE leadership SET epoch = epoch + 1, holder = 'leader' WHERE job = 'guardian' RETURNING epoch)
            INSERT INTO guardian_runs (id, epoch, node, trigger, tenants) SELECT '{run}', epoch, 'leader', 'manual', 1 FROM bumped
            RETURNING epoch
            """);
        stack.Producer.Produce(stack.Topics.Guardian, EnvelopeCodec.Create("resting", EventTypes.ReconcileTenant,
            new ReconcileTenant { RunId = run, Epoch = epoch, DriftThreshold = 5 }, FairlaneJsonContext.Default.ReconcileTenant,
            id: $"guardian.{run:N}"));
        Assert.Equal(0, stack.Producer.Flush(TimeSpan.FromSeconds(30)));

        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<int>($"SELECT tenants_failed FROM guardian_runs WHERE id = '{run}'"),
            failed => failed == 1, TimeSpan.FromSeconds(60), "the held tenant to count as failed on its run");
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM parked_events"));
        Assert.Equal(0, await stack.Db.ScalarAsync<int>($"SELECT tenants_done FROM guardian_runs WHERE id = '{run}'"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_leader_whose_database_sessions_are_cut_mid_run_still_ends_its_run()
    {
        // Regression (found by the chaos run): the leader polled the run's progress on one connection held
        // for the whole run; a PostgreSQL restart broke it, the error escaped the run and left it 'running'.
        await using var stack = await new StackBuilder().Kafka(1, 6)
            .With("Guardian:PollMs", 50)
            .With("Guardian:LockTtlMs", 5000)
            .With("Guardian:MaxRunMs", MaxRunMs)
            .With("Engine:ArtificialHandlerDelayMs", 1500)
            .StartAsync();
        await stack.Db.RegisterTenantsAsync(["a", "b"]);
        using var timeout = new CancellationTokenSource(TestTimeout);
        var running = Runner(stack).RunAsync("manual", null, timeout.Token);
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>("SELECT count(*) FROM guardian_runs WHERE status = 'running'"),
            n => n == 1, TimeSpan.FromSeconds(30), "the run to start");

        // What a restart does to the node's owner sessions in this database (the test's own only).
        var cut = await stack.Db.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'fairlane-owner' AND pid <> pg_backend_pid()) t
            """);

        var report = await running;
        Assert.True(cut > 0, "no owner session was there to cut");
        Assert.Equal(GuardianOutcome.Completed, report.Outcome);
        Assert.Equal("completed 2 2 0", await RunRowAsync(stack, report.RunId));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_run_a_dead_leader_left_running_is_closed_as_abandoned_by_the_next_leader()
    {
        await using var stack = await StartAsync();
        await stack.Db.RegisterTenantsAsync(["a"]);
        // What a leader killed mid-run leaves behind: its run still 'running' under its epoch.
        var crashed = Guid.NewGuid();
        await stack.Db.ScalarAsync<int>($"""
            UPDATE leadership SET epoch = epoch + 1, holder = 'dead-node' WHERE job = 'guardian';
            INSERT INTO guardian_runs (id, epoch, node, trigger, tenants)
            SELECT '{crashed}', epoch, 'dead-node', 'manual', 3 FROM leadership WHERE job = 'guardian';
            SELECT 1
            """);

        using var timeout = new CancellationTokenSource(TestTimeout);
        var report = await Runner(stack).RunAsync("manual", null, timeout.Token);

        Assert.Equal(GuardianOutcome.Completed, report.Outcome);
        Assert.Equal("abandoned", await stack.Db.ScalarAsync<string>($"SELECT status FROM guardian_runs WHERE id = '{crashed}'"));
        Assert.True(await stack.Db.ScalarAsync<bool>($"SELECT finished_at IS NOT NULL FROM guardian_runs WHERE id = '{crashed}'"));
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM guardian_runs WHERE status = 'running'"));
    }
}
