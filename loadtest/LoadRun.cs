using Fairlane.Agents.Storage;
using Fairlane.ChannelSimulator;
using Fairlane.Contracts;
using Fairlane.Producing;
using Fairlane.LoadTest.Baseline;
using Fairlane.LoadTest.Hot;
using Fairlane.LoadTest.Load;
using Fairlane.LoadTest.Measurement;
using Fairlane.LoadTest.Reporting;
using Fairlane.LoadTest.Scenarios;
using Fairlane.LoadTest.Seeding;
using Fairlane.LoadTest.Stack;

namespace Fairlane.LoadTest;

/// <summary>What the command line asked for.</summary>
internal sealed record RunRequest(Scenario Scenario, ScenarioSettings Settings, string? Bootstrap, bool Check, string ResultsRoot,
    bool KeepDatabases, LocalServers Servers, string CommandLine)
{
    /// <summary>Creates the run's results folder (<c>{started}-{scenario}</c> under the results root) and announces the run.</summary>
    public string StartResults(string runId, DateTimeOffset startedAt)
    {
        var folder = Path.Combine(ResultsRoot, $"{startedAt:yyyyMMdd-HHmmss}-{Scenario.Name}");
        Directory.CreateDirectory(folder);
        Console.WriteLine($"fairlane-loadtest {Scenario.Name} (run {runId}): {Scenario.Summary}");
        Console.WriteLine($"results: {folder}");
        return folder;
    }
}

/// <summary>
/// One run of a scenario against the real stack: local PostgreSQL and Redis, Kafka (embedded or
/// configured), the channel simulator, a fleet of `fairlane` processes on a fresh database, and the
/// baseline consumer on its own database and topic. Everything it starts it stops, and its databases
/// are dropped, also when the run fails or is interrupted.
/// </summary>
internal sealed class LoadRun(RunRequest request)
{
    private readonly ScenarioSettings _s = request.Settings;
    private readonly RunIdentity _run = RunIdentity.New();
    private readonly PeakMemory _memory = new();
    // `hot` sends per-item levels whose order and final stock it checks; the others send WebhookEvents.
    private readonly ItemLevelTraffic? _hot = request.Scenario is HotScenario ? new(request.Settings.Products, request.Settings.Seed) : null;

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        // chaos brings up a stack of its own (private PostgreSQL and Redis it may restart) and verifies by effect.
        if (request.Scenario is ChaosScenario) return await new Chaos.ChaosRun(request).ExecuteAsync(cancellationToken);
        var scenario = request.Scenario;
        var plan = scenario.Plan(_s);
        var startedAt = DateTimeOffset.UtcNow;
        var folder = request.StartResults(_run.Id, startedAt);

        await request.Servers.EnsureUpAsync(cancellationToken);
        using var kafka = KafkaStack.Start(request.Bootstrap);
        var topics = new Topics(_run.FairlanePrefix);
        var baselineTopics = new Topics(_run.BaselinePrefix);
        var baselineOn = _s.Baseline && scenario.SendsWebhooks;
        await kafka.CreateTopicsAsync(topics.All, _s.Partitions);
        if (baselineOn) await kafka.CreateTopicsAsync([baselineTopics.Webhooks], _s.Partitions);

        await using var simulator = await ChannelSimulatorServer.StartAsync(faults: new SimulatedFaults { LatencyMs = _s.SimulatorLatencyMs }, seed: _s.Seed,
            cancellationToken: cancellationToken);
        Console.WriteLine($"creating and migrating database {_run.FairlaneDatabase}{(baselineOn ? $" and {_run.BaselineDatabase}" : "")}");
        await using var db = await RunDatabase.CreateAsync(request.Servers, _run.FairlaneDatabase, cancellationToken);
        db.Keep = request.KeepDatabases;
        await using var baselineDb = baselineOn ? await RunDatabase.CreateAsync(request.Servers, _run.BaselineDatabase, cancellationToken) : null;
        if (baselineDb is not null) baselineDb.Keep = request.KeepDatabases;

        Console.WriteLine($"seeding {plan.Tenants.Count:N0} tenants × {plan.ProductsPerTenant} products × {TenantChannel.All.Count} channels");
        var seeder = new CatalogSeeder(simulator, _run.CredentialKey);
        await seeder.SeedAsync(db, plan, setUpSimulator: true, scenario is GuardianScenario ? ChannelDrift.Typical(_s.Seed) : null, cancellationToken);
        if (baselineDb is not null) await seeder.SeedAsync(baselineDb, plan, setUpSimulator: false, null, cancellationToken);

        Console.WriteLine($"starting {_s.Workers} workers ({Repository.FairlaneDll()})");
        await using var fleet = WorkerFleet.Start(_run, db, request.Servers, kafka.BootstrapServers, _s, folder);
        await fleet.WaitUntilBalancedAsync(topics, _s.Partitions, TimeSpan.FromSeconds(120), cancellationToken);
        Console.WriteLine("fleet ready: every partition assigned");

        await using var baseline = baselineDb is null ? null
            : new BaselineConsumer(kafka.BootstrapServers, $"{_run.BaselinePrefix}-group", baselineTopics.Webhooks,
                new BaselineProcessor(new TenantDatabase(baselineDb.App), _s.HandlerDelayMs));

        RunOutcome outcome;
        if (scenario.SendsWebhooks)
        {
            var (systems, sendFailures) = await SendAndMeasureAsync(plan, kafka, topics, baselineTopics, db, baselineDb, fleet, baseline, cancellationToken);
            outcome = Outcome(startedAt, kafka, systems, null, baseline) with
            {
                SendFailures = sendFailures,
                AgentCosts = await FleetDiagnostics.ReadAsync(fleet, cancellationToken),
                Hot = _hot is null ? null : await new HotVerification(db.Owner, topics.Webhooks).VerifyAsync(_hot.Reports, systems[0], cancellationToken),
            };
        }
        else
        {
            Console.WriteLine($"starting a Guardian run through {fleet.Workers[0].Name}'s admin API");
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampler = SampleMemoryAsync(fleet, sampling.Token);
            var guardian = await GuardianTrial.RunAsync(fleet.Workers[0].AdminPort, _run.AdminToken, db.Owner, GuardianScenario.ExpectedChecks(_s), cancellationToken);
            await sampling.CancelAsync();
            await sampler;
            outcome = Outcome(startedAt, kafka, [], guardian, null) with { AgentCosts = await FleetDiagnostics.ReadAsync(fleet, cancellationToken) };
        }
        return Report(outcome, plan, folder);
    }

    private async Task<(List<SystemResult> Systems, long SendFailures)> SendAndMeasureAsync(LoadPlan plan, KafkaStack kafka, Topics topics, Topics baselineTopics, RunDatabase db,
        RunDatabase? baselineDb, WorkerFleet fleet, BaselineConsumer? baseline, CancellationToken cancellationToken)
    {
        using var producer = new FairlaneProducer(kafka.BootstrapServers, "fairlane-loadtest");
        var sender = new OpenLoopSender(producer, baseline is null ? [topics.Webhooks] : [topics.Webhooks, baselineTopics.Webhooks], plan, _s.Seed,
            _hot is null ? null : _hot.StreamFor);
        using var fairlaneProbe = new LiveProbe(db.Owner, topics.Webhooks);
        using var baselineProbe = baselineDb is null ? null : new LiveProbe(baselineDb.Owner, baselineTopics.Webhooks);
        var progress = new LiveProgress(sender.Sent, fairlaneProbe, baselineProbe, fleet, _memory);
        await WaitForBaselineAsync(baseline, cancellationToken);

        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var printing = progress.RunAsync(stopProgress.Token);
        if (_s.WarmupSeconds > 0)
        {
            // Fresh processes run cold code (tiered JIT, empty pools) for their first seconds: the
            // first phase's load for a while, processed in full before measuring, keeps that out.
            progress.Stage = "warm-up";
            await sender.RunPhaseAsync(plan.Phases[0] with { Name = "warmup", Seconds = _s.WarmupSeconds }, cancellationToken);
            sender.Flush(TimeSpan.FromSeconds(30));
            await DrainAsync(progress, sender.Sent, TimeSpan.FromSeconds(60), cancellationToken);
        }
        var runStartMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var phase in plan.Phases)
        {
            progress.Stage = phase.Name;
            await sender.RunPhaseAsync(phase, cancellationToken);
        }
        sender.Flush(TimeSpan.FromSeconds(30));

        progress.Stage = "drain";
        await DrainAsync(progress, sender.Sent, _s.DrainTimeout, cancellationToken);
        var cutoffMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await stopProgress.CancelAsync();
        try { await printing; } catch (OperationCanceledException) when (stopProgress.IsCancellationRequested) { }

        Console.WriteLine("reading the ledgers");
        var sentEvents = sender.Sent.Snapshot();
        var systems = new List<SystemResult> { await AnalyzeAsync("fairlane", plan, sentEvents, db, topics, runStartMs, cutoffMs, cancellationToken) };
        if (baselineDb is not null)
            systems.Add(await AnalyzeAsync("baseline", plan, sentEvents, baselineDb, baselineTopics, runStartMs, cutoffMs, cancellationToken));
        return (systems, sender.Sent.FailedCount);
    }

    private async Task SampleMemoryAsync(WorkerFleet fleet, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            fleet.SampleMemory(_memory);
            _memory.Sample("harness", Environment.ProcessId);
            try { await Task.Delay(250, cancellationToken); } catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Waits until both ledgers hold every event sent so far, or the timeout passes.</summary>
    private static async Task DrainAsync(LiveProgress progress, SentLog sent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            await progress.SampleAsync(cancellationToken);
            var count = sent.Count;
            if (progress.Fairlane.Processed >= count && (progress.Baseline is not { } b || b.Processed >= count)) return;
            await Task.Delay(500, cancellationToken);
        }
    }

    private static async Task WaitForBaselineAsync(BaselineConsumer? baseline, CancellationToken cancellationToken)
    {
        for (var waited = 0; baseline is { IsAssigned: false } && waited < 600; waited++) await Task.Delay(100, cancellationToken);
        if (baseline is { IsAssigned: false }) throw new TimeoutException("The baseline consumer got no partitions within 60 s.");
    }

    private async Task<SystemResult> AnalyzeAsync(string system, LoadPlan plan, IReadOnlyList<SentEvent> sent, RunDatabase db, Topics topics,
        long runStartMs, long cutoffMs, CancellationToken cancellationToken)
    {
        var ledger = new LedgerReader(db.Owner, topics.Webhooks);
        var processed = await ledger.WebhooksAsync(cancellationToken);
        var effects = await ledger.EffectsAsync(cancellationToken);
        return RunAnalysis.Analyze(system, plan, sent, processed, effects, runStartMs, cutoffMs, _s.TargetP99Ms);
    }

    private RunOutcome Outcome(DateTimeOffset startedAt, KafkaStack kafka, List<SystemResult> systems, GuardianResult? guardian, BaselineConsumer? baseline) =>
        new(request.Scenario, _s, request.CommandLine, MachineDescription.Describe(),
            kafka.IsEmbedded ? "embedded (librdkafka mock cluster, 3 brokers, in the harness process)" : kafka.BootstrapServers,
            startedAt, systems, guardian, _memory.PeakBytes, baseline?.PeakBuffered ?? 0, baseline?.Failed ?? 0, 0);

    private int Report(RunOutcome outcome, LoadPlan plan, string folder)
    {
        var checks = TargetChecks.Evaluate(outcome);
        var charts = outcome.Systems.Count > 0 ? LatencyCharts.Write(folder, outcome.Scenario.Name, outcome.Systems) : [];
        if (outcome.Systems.Count > 0) TenantTable.WriteCsv(Path.Combine(folder, "tenants.csv"), outcome.Systems, plan.ClassOf);
        var markdown = MarkdownReport.Render(outcome, checks, charts);
        File.WriteAllText(Path.Combine(folder, "report.md"), markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"report: {Path.Combine(folder, "report.md")}");
        var missed = checks.Where(c => !c.Met).ToList();
        if (missed.Count == 0 || !request.Check) return ExitCodes.Ok;
        foreach (var m in missed) Console.Error.WriteLine($"fairlane-loadtest: target missed: {m.Target} ({m.Measured})");
        return ExitCodes.TargetMissed;
    }
}
