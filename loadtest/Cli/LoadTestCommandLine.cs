using System.CommandLine;
using System.Globalization;
using Fairlane.LoadTest.Scenarios;
using Fairlane.LoadTest.Stack;

namespace Fairlane.LoadTest.Cli;

/// <summary>
/// `fairlane-loadtest &lt;scenario&gt; [flags]`: one subcommand per scenario; every flag left out takes
/// the scenario's default, so a bare scenario name reproduces the documented run.
/// </summary>
internal static class LoadTestCommandLine
{
    private static readonly Option<int?> Tenants = new("--tenants") { Description = "number of tenants" };
    private static readonly Option<double?> Rate = new("--rate") { Description = "webhooks per second offered across all tenants (max, hot: the ramp's peak)" };
    private static readonly Option<double?> Duration = new("--duration") { Description = "seconds of load (noisy: of the with-noisy phase; the quiet-only phase runs half as long)" };
    private static readonly Option<int?> Workers = new("--workers") { Description = "fairlane worker processes to start" };
    private static readonly Option<int?> EngineWorkers = new("--engine-workers") { Description = "Engine:Workers of each worker process" };
    private static readonly Option<int?> HandlerDelay = new("--handler-delay-ms") { Description = "Engine:ArtificialHandlerDelayMs: a delay in every processing transaction (the baseline's too)" };
    private static readonly Option<int?> SimulatorLatency = new("--sim-latency-ms") { Description = "channel simulator latency per call" };
    private static readonly Option<int?> MaxBatch = new("--max-batch") { Description = "Engine:MaxBatchSize of the workers" };
    private static readonly Option<int?> Quantum = new("--quantum-ms") { Description = "Engine:QuantumMs of the workers (scheduling credit per round)" };
    private static readonly Option<int?> Products = new("--products") { Description = "products per tenant (each mapped on 3 channels)" };
    private static readonly Option<int?> Partitions = new("--partitions") { Description = "partitions per topic" };
    private static readonly Option<bool?> Baseline = new("--baseline") { Description = "run the plain-consumer baseline side by side (true/false; default on for steady, noisy, zipf)" };
    private static readonly Option<double?> NoisyFactor = new("--noisy-factor") { Description = "noisy: the noisy tenant's rate as a multiple of a quiet one's (default 100)" };
    private static readonly Option<int?> HotConcurrency = new("--hot-concurrency") { Description = "concurrency of the hot tenants: noisy's noisy tenant and hot's tenant (default Engine:Workers), zipf's 10 largest (default 1)" };
    private static readonly Option<double?> ZipfExponent = new("--zipf-exponent") { Description = "zipf: the exponent s (default 1)" };
    private static readonly Option<double?> DrainTimeout = new("--drain-timeout") { Description = "seconds to wait after the last send for everything to be processed" };
    private static readonly Option<double?> Warmup = new("--warmup") { Description = "seconds of warm-up load before measuring, 0 for none (default 10)" };
    private static readonly Option<double?> TargetP99 = new("--target-p99-ms") { Description = "latency target for --check (default 1000)" };
    private static readonly Option<int?> Seed = new("--seed") { Description = "seed of the load's random choices (default 42)" };
    private static readonly Option<string?> Bootstrap = new("--bootstrap") { Description = "use this Kafka cluster instead of the embedded one" };
    private static readonly Option<bool> Check = new("--check") { Description = "exit 1 when a target is missed (release checks)" };
    private static readonly Option<string?> Results = new("--results") { Description = "folder for the results (default loadtest/results)" };
    private static readonly Option<bool> KeepDatabases = new("--keep-databases") { Description = "keep the run's databases for inspection" };
    private static readonly Option<string[]> WorkerSetting = new("--worker-setting")
    {
        Description = "a setting of every worker, Section:Key=value (repeatable), e.g. Telemetry:SamplingRatio=0.1",
        AllowMultipleArgumentsPerToken = false,
    };
    private static readonly Option<int> PostgresPort = new("--postgres-port") { Description = "local PostgreSQL port", DefaultValueFactory = _ => 55432 };
    private static readonly Option<string> RedisPorts = new("--redis-ports") { Description = "local Redis ports, comma-separated", DefaultValueFactory = _ => "56379,56380,56381" };

    public static RootCommand Build(Func<RunRequest, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("""
            fairlane-loadtest — drives a real Fairlane fleet (worker processes it starts, the embedded Kafka,
            local PostgreSQL and Redis, the channel simulator) and a hand-written baseline consumer side by side,
            and reports throughput, per-tenant latency, fairness, memory and lost or duplicated effects.
            Results: loadtest/results/<timestamp>-<scenario>/ (report.md, tenants.csv, charts, worker logs).
            """);
        Option[] options = [Tenants, Rate, Duration, Workers, EngineWorkers, HandlerDelay, SimulatorLatency, MaxBatch, Quantum, Products, Partitions,
            Baseline, NoisyFactor, HotConcurrency, ZipfExponent, DrainTimeout, Warmup, TargetP99, Seed, Bootstrap, Check, Results, KeepDatabases, PostgresPort, RedisPorts,
            WorkerSetting];
        foreach (var option in options)
        {
            option.Recursive = true;
            root.Options.Add(option);
        }
        foreach (var scenario in ScenarioCatalog.All)
        {
            var command = new Command(scenario.Name, $"{scenario.Summary}\n{DescribeDefaults(scenario.Defaults)}");
            command.SetAction(async (parse, ct) =>
            {
                RunRequest request;
                try
                {
                    request = Request(scenario, parse);
                }
                catch (ArgumentException ex)
                {
                    await Console.Error.WriteLineAsync($"fairlane-loadtest: {ex.Message}");
                    return ExitCodes.BadCommandLine;
                }
                return await run(request, ct);
            });
            root.Subcommands.Add(command);
        }
        return root;
    }

    public static RunRequest Request(Scenario scenario, ParseResult p)
    {
        var d = scenario.Defaults;
        var settings = d with
        {
            Tenants = Positive(p.GetValue(Tenants) ?? d.Tenants, "--tenants"),
            Rate = Positive(p.GetValue(Rate) ?? d.Rate, "--rate"),
            Duration = TimeSpan.FromSeconds(Positive(p.GetValue(Duration) ?? d.Duration.TotalSeconds, "--duration")),
            Workers = Positive(p.GetValue(Workers) ?? d.Workers, "--workers"),
            EngineWorkers = Positive(p.GetValue(EngineWorkers) ?? d.EngineWorkers, "--engine-workers"),
            HandlerDelayMs = NotNegative(p.GetValue(HandlerDelay) ?? d.HandlerDelayMs, "--handler-delay-ms"),
            SimulatorLatencyMs = NotNegative(p.GetValue(SimulatorLatency) ?? d.SimulatorLatencyMs, "--sim-latency-ms"),
            MaxBatch = p.GetValue(MaxBatch) is { } batch ? Positive(batch, "--max-batch") : d.MaxBatch,
            QuantumMs = p.GetValue(Quantum) is { } quantum ? Positive(quantum, "--quantum-ms") : d.QuantumMs,
            Products = Positive(p.GetValue(Products) ?? d.Products, "--products"),
            Partitions = Positive(p.GetValue(Partitions) ?? d.Partitions, "--partitions"),
            Baseline = p.GetValue(Baseline) ?? d.Baseline,
            NoisyFactor = Positive(p.GetValue(NoisyFactor) ?? d.NoisyFactor, "--noisy-factor"),
            HotConcurrency = p.GetValue(HotConcurrency) is { } hot ? Positive(hot, "--hot-concurrency") : d.HotConcurrency,
            ZipfExponent = NotNegative(p.GetValue(ZipfExponent) ?? d.ZipfExponent, "--zipf-exponent"),
            DrainTimeout = TimeSpan.FromSeconds(Positive(p.GetValue(DrainTimeout) ?? d.DrainTimeout.TotalSeconds, "--drain-timeout")),
            WarmupSeconds = NotNegative(p.GetValue(Warmup) ?? d.WarmupSeconds, "--warmup"),
            TargetP99Ms = Positive(p.GetValue(TargetP99) ?? d.TargetP99Ms, "--target-p99-ms"),
            Seed = p.GetValue(Seed) ?? d.Seed,
            WorkerOverrides = (p.GetValue(WorkerSetting) ?? []).Select(WorkerOverride).ToList(),
        };
        var redis = p.GetValue(RedisPorts)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : throw new ArgumentException($"--redis-ports: '{v}' is not a port"))
            .ToArray();
        return new RunRequest(scenario, settings, p.GetValue(Bootstrap), p.GetValue(Check),
            p.GetValue(Results) ?? Path.Combine(Repository.Root, "loadtest", "results"), p.GetValue(KeepDatabases),
            new LocalServers(p.GetValue(PostgresPort), redis), "dotnet run --project loadtest -c Release -- " + string.Join(' ', p.Tokens.Select(t => t.Value)));
    }

    private static KeyValuePair<string, string> WorkerOverride(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && text[..equals].Contains(':', StringComparison.Ordinal)
            ? new(text[..equals].Trim(), text[(equals + 1)..])
            : throw new ArgumentException($"--worker-setting takes Section:Key=value; got '{text}'.");
    }

    private static string DescribeDefaults(ScenarioSettings d) => string.Create(CultureInfo.InvariantCulture,
        $"defaults: --tenants {d.Tenants} --rate {d.Rate:0.###} --duration {d.Duration.TotalSeconds:0} --workers {d.Workers} --engine-workers {d.EngineWorkers} " +
        $"--handler-delay-ms {d.HandlerDelayMs} --sim-latency-ms {d.SimulatorLatencyMs}{(d.MaxBatch is { } b ? $" --max-batch {b}" : "")} --products {d.Products} --baseline {(d.Baseline ? "true" : "false")}");

    private static T Positive<T>(T value, string name) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{name} takes a positive number.");

    private static T NotNegative<T>(T value, string name) where T : System.Numerics.INumber<T> =>
        value >= T.Zero ? value : throw new ArgumentException($"{name} takes a number, 0 or more.");
}
