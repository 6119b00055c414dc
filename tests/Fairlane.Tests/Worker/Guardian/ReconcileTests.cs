using Fairlane.ChannelSimulator;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Guardian;
using Microsoft.Extensions.DependencyInjection;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Worker.Guardian;

/// <summary>A Guardian run against the channel simulator: small drift repaired, large drift alerted, stale epochs fenced.</summary>
[Trait("Category", "Integration")]
public sealed class ReconcileTests
{
    private const string Tenant = "bakery";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private sealed record Bakery(TestStack Stack, ChannelSimulatorServer Simulator, Dictionary<string, SimulatedAccount> Accounts) : IAsyncDisposable
    {
        // Three products on two channels. Internal stock 20, buffer 2: both channels should show 18.
        public static async Task<Bakery> OpenAsync()
        {
            var stack = await new StackBuilder().Kafka(1, 6).With("Guardian:DriftThreshold", 5).With("Guardian:PollMs", 50).StartAsync();
            var simulator = await ChannelSimulatorServer.StartAsync(port: 0, seed: 11);
            await stack.Db.RegisterTenantsAsync([Tenant]);
            var accounts = await SimulatedChannels.AddAsync(stack.Db, simulator, Tenant, ("web", ChannelTypes.Wix), ("food", ChannelTypes.Deliveroo));
            string[] products = ["bread", "cake", "pie"];
            await Catalog.SeedAsync(stack.Db, Tenant, [], products.Select(p => new Catalog.Product(p, 20, 2)),
                products.SelectMany(p => new[] { new Catalog.Mapping(p, "web", $"web-{p}"), new Catalog.Mapping(p, "food", $"food-{p}") }));
            foreach (var p in products)
            {
                accounts["web"].SetStock($"web-{p}", 18);
                accounts["food"].SetStock($"food-{p}", 18);
            }
            return new Bakery(stack, simulator, accounts);
        }

        public GuardianRunner Runner => Stack.Worker.Services.GetRequiredService<GuardianRunner>();

        public async ValueTask DisposeAsync()
        {
            await Stack.DisposeAsync();
            await Simulator.DisposeAsync();
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task Drift_within_the_threshold_is_repaired_and_beyond_it_alerted()
    {
        await using var bakery = await Bakery.OpenAsync();
        bakery.Accounts["web"].SetStock("web-bread", 15);   // drift -3: repaired
        bakery.Accounts["food"].SetStock("food-cake", 30);  // drift +12: alerted, left alone

        var report = await bakery.Runner.RunAsync("manual", null, CancellationToken.None);

        Assert.Equal(GuardianOutcome.Completed, report.Outcome);
        Assert.Equal(1, report.Tenants);
        await Eventually.WaitAsync(() => Task.FromResult(bakery.Accounts["web"].GetStock("web-bread")), n => n == 18, Deadline,
            "the small drift repaired through Sync");
        Assert.Equal(30, bakery.Accounts["food"].GetStock("food-cake"));
        Assert.Equal(1, await bakery.Stack.Db.ScalarAsync<long>(
            "SELECT count(*) FROM alerts WHERE kind = 'drift' AND subject = 'food/food-cake' AND status = 'open'"));
        var run = await bakery.Stack.Db.ScalarAsync<string>(
            $"SELECT status || ' ' || checks || ' ' || repairs || ' ' || alerts || ' ' || tenants_done FROM guardian_runs WHERE id = '{report.RunId}'");
        Assert.Equal("completed 6 1 1 1", run);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_slow_channel_is_read_with_no_transaction_open_and_its_drift_still_repaired()
    {
        await using var bakery = await Bakery.OpenAsync();
        bakery.Accounts["web"].SetStock("web-bread", 15); // drift -3: repaired
        bakery.Accounts["web"].Faults = new SimulatedFaults { LatencyMs = 2_500 };

        // Sample the app role's sessions for the whole run: none may sit idle inside a transaction
        // while a channel answers (it would hold the fence's row lock and meet the idle timeout).
        // Asked as the app role itself: only a role's own sessions show their state.
        await using var idle = bakery.Stack.Db.App.CreateCommand("""
            SELECT coalesce(max(extract(epoch FROM now() - state_change)), 0)::float8 FROM pg_stat_activity
            WHERE datname = current_database() AND usename = current_user AND state LIKE 'idle in transaction%'
            """);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var running = bakery.Runner.RunAsync("manual", null, timeout.Token);
        var longestIdle = 0.0;
        while (!running.IsCompleted)
        {
            longestIdle = Math.Max(longestIdle, (double)(await idle.ExecuteScalarAsync())!);
            await Task.WhenAny(running, Task.Delay(100));
        }
        var report = await running;

        Assert.Equal(GuardianOutcome.Completed, report.Outcome);
        Assert.True(report.Duration > TimeSpan.FromMilliseconds(2_500), $"the run took {report.Duration}: the channel was not slow");
        Assert.True(longestIdle < 1.0, $"a reconcile transaction sat idle for {longestIdle:F1} s while a channel answered");
        bakery.Accounts["web"].Faults = new SimulatedFaults();
        await Eventually.WaitAsync(() => Task.FromResult(bakery.Accounts["web"].GetStock("web-bread")), n => n == 18, Deadline,
            "the drift repaired through Sync");
        Assert.Equal("completed 6 1 0 1", await bakery.Stack.Db.ScalarAsync<string>(
            $"SELECT status || ' ' || checks || ' ' || repairs || ' ' || alerts || ' ' || tenants_done FROM guardian_runs WHERE id = '{report.RunId}'"));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_job_of_a_superseded_epoch_writes_nothing()
    {
        await using var bakery = await Bakery.OpenAsync();
        var first = await bakery.Runner.RunAsync("manual", null, CancellationToken.None);
        Assert.Equal(GuardianOutcome.Completed, first.Outcome);
        var second = await bakery.Runner.RunAsync("manual", null, CancellationToken.None);
        Assert.True(second.Epoch > first.Epoch);

        // A job of the first (now stale) leader arrives late, with drift it would repair if it could write.
        bakery.Accounts["web"].SetStock("web-pie", 16);
        var stale = EnvelopeCodec.Create(Tenant, EventTypes.ReconcileTenant,
            new ReconcileTenant { RunId = first.RunId!.Value, Epoch = first.Epoch!.Value, DriftThreshold = 5 },
            FairlaneJsonContext.Default.ReconcileTenant, id: "late-job");
        await bakery.Stack.Producer.ProduceAsync(bakery.Stack.Topics.Guardian, stale);
        await Eventually.WaitAsync(() => bakery.Stack.Db.ScalarAsync<long>("SELECT count(*) FROM processed_events WHERE event_id = 'late-job'"),
            n => n == 1, Deadline, "the stale job handled");

        Assert.Equal(16, bakery.Accounts["web"].GetStock("web-pie"));
        Assert.Equal(1, await bakery.Stack.Db.ScalarAsync<int>($"SELECT tenants_done FROM guardian_runs WHERE id = '{first.RunId}'"));
        Assert.Equal(0, await bakery.Stack.Db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE event_id LIKE 'late-job%'"));
        // What the second run observed stands: the stale job did not record its own reading.
        Assert.Equal(18, await bakery.Stack.Db.ScalarAsync<int>("SELECT channel_stock FROM product_channel_mappings WHERE external_id = 'web-pie'"));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_misconfigured_channel_is_skipped_and_alerted_while_the_others_are_reconciled()
    {
        await using var bakery = await Bakery.OpenAsync();
        await bakery.Stack.Db.ExecuteAsync("UPDATE channels SET base_url = 'food.example.test' WHERE id = 'food'");
        bakery.Accounts["web"].SetStock("web-bread", 15); // drift -3: still repaired

        var report = await bakery.Runner.RunAsync("manual", null, CancellationToken.None);

        Assert.Equal(GuardianOutcome.Completed, report.Outcome);
        await Eventually.WaitAsync(() => Task.FromResult(bakery.Accounts["web"].GetStock("web-bread")), n => n == 18, Deadline,
            "the web shop's drift repaired");
        await Eventually.WaitAsync(() => bakery.Stack.Db.ScalarAsync<long>(
            "SELECT count(*) FROM alerts WHERE kind = 'channel_status' AND subject = 'food' AND status = 'open'"), n => n == 1, Deadline,
            "a channel_status alert for the misconfigured channel");
        Assert.Equal(0, bakery.Accounts["food"].TotalCalls);
        Assert.Equal("misconfigured", await bakery.Stack.Db.ScalarAsync<string>("SELECT status FROM channels WHERE id = 'food'"));
        Assert.Equal("completed 3 1 0 1", await bakery.Stack.Db.ScalarAsync<string>(
            $"SELECT status || ' ' || checks || ' ' || repairs || ' ' || alerts || ' ' || tenants_done FROM guardian_runs WHERE id = '{report.RunId}'"));
        Assert.Equal(0, DeadLetterReader.Count(bakery.Stack.Cluster.BootstrapServers, bakery.Stack.Topics.DeadLetters));
    }
}
