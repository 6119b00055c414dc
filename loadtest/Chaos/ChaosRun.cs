using System.Diagnostics;
using System.Globalization;
using Fairlane.ChannelSimulator;
using Fairlane.Contracts;
using Fairlane.Producing;
using Fairlane.LoadTest.Reporting;
using Fairlane.LoadTest.Seeding;
using Fairlane.LoadTest.Stack;

namespace Fairlane.LoadTest.Chaos;

/// <summary>
/// The chaos scenario end to end, on a stack of its own: a private PostgreSQL cluster and three
/// private Redis servers (the shared development servers are never restarted or stopped), the
/// embedded Kafka, the channel simulator and a fleet of workers with the Guardian on a short cron.
/// It sends steady mixed load with poison records mixed in while the fault schedule runs, waits for
/// the fleet to drain, and verifies by effect. Everything it starts it stops, also on failure or Ctrl-C.
/// </summary>
internal sealed class ChaosRun(RunRequest request)
{
    public const string GuardianCron = "0/20 * * * * ?";
    public const int MaxMessageBytes = 64 * 1024;
    private const int RedisNodes = 3;

    private readonly RunIdentity _run = RunIdentity.New();

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var s = request.Settings;
        var scenario = request.Scenario;
        if (!string.IsNullOrWhiteSpace(request.Bootstrap))
            throw new ArgumentException("chaos takes brokers down, which only the embedded cluster allows: leave out --bootstrap.");
        var schedule = FaultSchedule.For(s.Duration, s.Workers, brokers: 3, RedisNodes);
        var plan = scenario.Plan(s);
        var startedAt = DateTimeOffset.UtcNow;
        var folder = request.StartResults(_run.Id, startedAt);

        await using var redis = await PrivateRedisNodes.StartAsync(RedisNodes, cancellationToken);
        await using var postgres = await PrivatePostgres.StartAsync(cancellationToken);
        var servers = postgres.With(redis.Ports);
        Console.WriteLine($"private PostgreSQL on 127.0.0.1:{postgres.Port}, private Redis on {string.Join(", ", redis.Ports)}");
        using var kafka = KafkaStack.Start(null);
        var topics = new Topics(_run.FairlanePrefix);
        await kafka.CreateTopicsAsync(topics.All, s.Partitions);
        await using var simulator = await ChannelSimulatorServer.StartAsync(faults: new SimulatedFaults { LatencyMs = s.SimulatorLatencyMs }, seed: s.Seed,
            cancellationToken: cancellationToken);
        await using var db = await RunDatabase.CreateAsync(servers, _run.FairlaneDatabase, cancellationToken);
        Console.WriteLine($"seeding {plan.Tenants.Count} tenants × {plan.ProductsPerTenant} products × {TenantChannel.All.Count} channels");
        await new CatalogSeeder(simulator, _run.CredentialKey).SeedAsync(db, plan, setUpSimulator: true, null, cancellationToken);
        await ShapeCatalogueAsync(db, cancellationToken);

        await using var fleet = WorkerFleet.Start(_run, db, servers, kafka.BootstrapServers, s, folder, new Dictionary<string, string>
        {
            ["FAIRLANE__GUARDIAN__CRON"] = GuardianCron,
            ["FAIRLANE__KAFKA__MAXMESSAGEBYTES"] = MaxMessageBytes.ToString(CultureInfo.InvariantCulture),
        });
        await fleet.WaitUntilBalancedAsync(topics, s.Partitions, TimeSpan.FromSeconds(180), cancellationToken);
        Console.WriteLine($"fleet of {s.Workers} ready; {s.Duration.TotalSeconds:0} s of load with faults");

        using var producer = new FairlaneProducer(kafka.BootstrapServers, "fairlane-loadtest-chaos");
        var sender = new ChaosSender(producer, topics.Webhooks, plan.Phases[0], s.Products, s.Seed, MaxMessageBytes);
        var faults = new FaultInjector(fleet, kafka, postgres, redis, [.. plan.Tenants.Select(t => t.Tenant)], _run.AdminToken);
        var effects = new EffectReader(db.Owner, topics.Webhooks);
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = PrintProgressAsync(sender, effects, stopProgress.Token);

        var sending = sender.RunAsync(cancellationToken);
        var injecting = faults.RunAsync(schedule, cancellationToken);
        await Task.WhenAll(sending, injecting);
        await sender.FlushAsync(TimeSpan.FromSeconds(60));
        Console.WriteLine($"load done: {sender.Sent:N0} reports sent, {sender.Poison.Count} poison records; draining");

        var drained = await DrainAsync(sender, effects, s.DrainTimeout, cancellationToken);
        await stopProgress.CancelAsync();
        try { await progress; } catch (OperationCanceledException) when (stopProgress.IsCancellationRequested) { }

        var verdict = await VerifyAsync(sender, effects, kafka, topics, drained, cancellationToken);
        var markdown = ChaosReport.Render(request, verdict, faults.Done, sender, startedAt, MachineDescription.Describe());
        File.WriteAllText(Path.Combine(folder, "report.md"), markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"report: {Path.Combine(folder, "report.md")}");
        foreach (var failed in verdict.Checks.Where(c => !c.Passed)) Console.Error.WriteLine($"fairlane-loadtest: chaos check failed: {failed.Check} ({failed.Measured})");
        return verdict.Passed ? ExitCodes.Ok : ExitCodes.TargetMissed;
    }

    // The channel the levels arrive on reports only: Sync skips it and the Guardian does not read it,
    // so the stock it last reported is the Watcher's alone (see StockModel). And one tenant is gone.
    private static async Task ShapeCatalogueAsync(RunDatabase db, CancellationToken cancellationToken)
    {
        await using var cmd = db.Owner.CreateCommand("UPDATE channels SET status = 'disabled' WHERE id = @channel");
        cmd.Parameters.AddWithValue("channel", ChaosTraffic.LevelChannel.Id);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        // The tenant-deleted poison records are about a tenant that was unregistered before the run.
        await using var departed = db.Owner.CreateCommand("INSERT INTO tenants (id, name, status) VALUES (@id, 'unregistered before the run', 'deleted')");
        departed.Parameters.AddWithValue("id", PoisonCatalogue.DeletedTenant);
        await departed.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Waits until every acknowledged report is in the ledger, the park is empty and no Guardian run is open.</summary>
    private static async Task<bool> DrainAsync(ChaosSender sender, EffectReader effects, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var expected = sender.Acknowledged.Count;
        while (clock.Elapsed < timeout)
        {
            try
            {
                var (runs, _) = await effects.GuardianRunsAsync(cancellationToken);
                if (await effects.CountProcessedAsync(cancellationToken) >= expected && await effects.ParkedAsync(cancellationToken) == 0
                    && runs.GetValueOrDefault("running") == 0) return true;
            }
            catch (Npgsql.NpgsqlException)
            {
                // the database restarting under the reader: ask again
            }
            await Task.Delay(1000, cancellationToken);
        }
        return false;
    }

    private static async Task<ChaosVerdict> VerifyAsync(ChaosSender sender, EffectReader effects, KafkaStack kafka, Topics topics, bool drained,
        CancellationToken cancellationToken)
    {
        Console.WriteLine("verifying: ledger, effects, stock, park, Guardian runs, dead letters");
        var acknowledged = sender.Acknowledged;
        var findings = EffectJudge.Judge(acknowledged, sender.Model, await effects.ProcessedAsync(cancellationToken),
            await effects.EffectsAsync(cancellationToken), await effects.StockAsync(cancellationToken));
        var (runs, tenantsFailed) = await effects.GuardianRunsAsync(cancellationToken);
        var dlq = await ReadDeadLettersAsync(kafka, topics, sender.Poison, cancellationToken);
        return new ChaosVerdict
        {
            Sent = sender.Sent + sender.Poison.Count, Acknowledged = acknowledged.Count, SendFailures = sender.Failed,
            Deltas = findings.Deltas, Levels = findings.Levels, Lost = findings.Lost, Doubled = findings.Doubled,
            DeltasWithoutEffect = findings.DeltasWithoutEffect, StaleLevels = findings.StaleLevels, Products = findings.Products,
            StockMismatches = findings.StockMismatches, Parked = await effects.ParkedAsync(cancellationToken), GuardianRuns = runs,
            GuardianTenantsFailed = tenantsFailed, Dlq = dlq, Drained = drained,
        };
    }

    // The ledger says nothing about poison records, so the drain cannot wait for their letters: a
    // letter still on its way is waited for here, for up to a minute, before it counts as missing.
    private static async Task<DlqTally> ReadDeadLettersAsync(KafkaStack kafka, Topics topics, IReadOnlyList<PlacedRecord> poison,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var letters = DeadLetterTopic.ReadAll(kafka.BootstrapServers, topics.DeadLetters, TimeSpan.FromSeconds(60));
            var tally = DlqTally.Compare(poison, letters, PoisonCatalogue.Kinds);
            if (tally.Lines.All(l => l.Missing == 0) || clock.Elapsed > TimeSpan.FromSeconds(60)) return tally;
            await Task.Delay(2000, cancellationToken);
        }
    }

    private static async Task PrintProgressAsync(ChaosSender sender, EffectReader effects, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            string state;
            try
            {
                state = $"processed {await effects.CountProcessedAsync(cancellationToken):N0}, parked {await effects.ParkedAsync(cancellationToken):N0}";
            }
            catch (Npgsql.NpgsqlException ex)
            {
                state = $"database not answering ({ex.Message.Split('\n')[0]})";
            }
            Console.WriteLine($"  {clock.Elapsed.TotalSeconds,5:0} s: sent {sender.Sent:N0} (acknowledged {sender.Acknowledged.Count:N0}), {state}");
        }
    }
}
