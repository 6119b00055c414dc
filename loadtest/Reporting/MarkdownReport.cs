using System.Globalization;
using System.Text;
using Fairlane.LoadTest.Measurement;
using Fairlane.LoadTest.Scenarios;

namespace Fairlane.LoadTest.Reporting;

/// <summary>The run's report.md: settings, results side by side, fairness, effects, memory, targets and charts.</summary>
internal static class MarkdownReport
{
    public static string Render(RunOutcome run, IReadOnlyList<TargetCheck> checks, IReadOnlyList<string> charts)
    {
        var md = new StringBuilder();
        var s = run.Settings;
        Line(md, $"# fairlane-loadtest `{run.Scenario.Name}` — {run.StartedAt:yyyy-MM-dd HH:mm} UTC");
        Line(md, "");
        Line(md, run.Scenario.Summary + ".");
        Line(md, "");
        Line(md, $"- Command: `{run.CommandLine}`");
        Line(md, $"- Machine: {run.Machine}; the cores are shared with the load generator, the embedded Kafka, PostgreSQL, the channel simulator, the baseline and other work on the machine, so figures are noisy.");
        Line(md, $"- Fleet: {s.Workers} `fairlane` processes × Engine:Workers {s.EngineWorkers}, handler delay {s.HandlerDelayMs} ms per transaction, Engine:MaxBatchSize {(s.MaxBatch?.ToString(CultureInfo.InvariantCulture) ?? "default (100)")}, Engine:QuantumMs {(s.QuantumMs?.ToString(CultureInfo.InvariantCulture) ?? "default (10)")}, channel simulator latency {s.SimulatorLatencyMs} ms, {s.Partitions} partitions, Kafka: {run.Kafka}{(s.WorkerOverrides.Count > 0 ? "; worker settings: " + string.Join(", ", s.WorkerOverrides.Select(o => $"`{o.Key}={o.Value}`")) : "")}.");
        if (run.Scenario.SendsWebhooks)
        {
            Line(md, $"- Load: {s.Tenants} tenants, {s.Products} products × 3 channels each, {s.Rate:0.###} webhooks/s offered{(run.Scenario is MaxScenario or HotScenario ? " at the ramp's peak" : "")}{(s.HotConcurrency is { } hot ? $", hot tenants' concurrency {hot}" : "")}, {s.Duration.TotalSeconds:0} s after a {s.WarmupSeconds:0} s warm-up (processed in full, not reported); drain timeout {s.DrainTimeout.TotalSeconds:0} s.");
            if (run.Baseline is not null)
                Line(md, "- Baseline: a plain Confluent.Kafka consumer in the harness process, each partition processed in order one record at a time, doing the same transaction (tenant read, processed-events ledger row, handler delay, the real WatcherHandler with its outbox row) on its own database and topic, fed the same events. It runs no Sync agent; Fairlane's fleet also pushes every change to two channels.");
            Line(md, "- Latency is end to end: the producer's `fl-produced-at` to the start of the processing transaction (`processed_events.processed_at`). Events not processed by the cut-off count at the latency they had reached (marked ≥).");
        }
        else
        {
            Line(md, $"- Catalog: {s.Tenants} tenants × {s.Products} products × 3 channels (wix, eposnow, deliveroo), every product mapped on every channel; no webhook load.");
        }
        Line(md, "");

        if (run.Systems.Count > 0) Results(md, run);
        if (run.Hot is { } findings) HotReport.Write(md, run, findings);
        if (run.Guardian is { } g) Guardian(md, g);
        Memory(md, run);
        Costs(md, run);
        if (checks.Count > 0)
        {
            Line(md, "## Targets");
            Line(md, "");
            foreach (var c in checks) Line(md, $"- {(c.Met ? "✅" : "❌")} {c.Target}: {c.Measured}");
            Line(md, "");
        }
        foreach (var chart in charts) Line(md, $"![{chart}]({chart})");
        return md.ToString();
    }

    private static void Results(StringBuilder md, RunOutcome run)
    {
        Line(md, "## Results");
        Line(md, "");
        Line(md, "| system | phase | sent | processed | not done at cut-off | offered/s | throughput/s | p50 ms | p95 ms | p99 ms | max ms |");
        Line(md, "|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var system in run.Systems)
        {
            foreach (var p in system.Phases)
            {
                var l = p.Latency();
                var ge = p.Censored ? "≥" : "";
                Line(md, $"| {system.System} | {p.Phase} | {p.Sent:N0} | {p.Processed:N0} | {p.Unfinished:N0} | {p.OfferedRate:0.#} | {p.Throughput:0.#} | {Ms(l.P50)} | {Ms(l.P95)} | {ge}{Ms(l.P99)} | {ge}{Ms(l.Max)} |");
            }
        }
        Line(md, "");
        Line(md, "### By tenant class");
        Line(md, "");
        Line(md, "| system | phase | class | tenants | events | p50 ms | p95 ms | p99 ms | median tenant p99 | worst tenant p99 |");
        Line(md, "|---|---|---|---|---|---|---|---|---|---|");
        foreach (var system in run.Systems)
        {
            foreach (var p in system.Phases)
            {
                var byTenant = p.ByTenant();
                foreach (var cls in p.Classes)
                {
                    var l = p.Latency(cls);
                    var tenantP99 = p.Events.Where(e => e.Class == cls).Select(e => e.Tenant).Distinct().Select(t => byTenant[t].P99).Order().ToArray();
                    Line(md, $"| {system.System} | {p.Phase} | {cls} | {tenantP99.Length} | {l.Count:N0} | {Ms(l.P50)} | {Ms(l.P95)} | {Ms(l.P99)} | {Ms(Percentiles.OfSorted(tenantP99, 0.5))} | {Ms(tenantP99.LastOrDefault(double.NaN))} |");
                }
            }
        }
        Line(md, "");
        if (run.Scenario is NoisyScenario) Noisy(md, run);
        if (run.Settings.Tenants <= 30) PerTenant(md, run);
        Line(md, "Per-tenant p50/p95/p99 of every phase: `tenants.csv`.");
        Line(md, "");

        Line(md, "### Fairness and effects");
        Line(md, "");
        Line(md, "| system | Jain's index over backlogged tenants | backlogged tenants | backlogged seconds | lost | duplicated effects | processed without effect | unknown processed | syncs done | webhook → push recorded p99 ms |");
        Line(md, "|---|---|---|---|---|---|---|---|---|---|");
        foreach (var system in run.Systems)
        {
            var f = system.Fairness;
            var lost = system.Drained ? "0" : $"{system.Phases.Sum(p => p.Unfinished):N0} not done at cut-off";
            var syncs = system.System == "baseline" ? "— (no Sync)" : $"{system.Effects.SyncsDone:N0}";
            var syncP99 = system.System == "baseline" ? "—" : Ms(system.Effects.WebhookToSync.P99);
            Line(md, $"| {system.System} | {(double.IsNaN(f.Jain) ? $"n/a ({f.Tenants} backlogged)" : f.Jain.ToString("0.000", CultureInfo.InvariantCulture))} | {f.Tenants} | {f.BackloggedSeconds} | {lost} | {system.Duplicated} | {system.MissingEffects} | {system.UnknownProcessed} | {syncs} | {syncP99} |");
        }
        Line(md, "");
        Line(md, "A tenant is backlogged in a second when more of its events were waiting as the second began than it got processed during it (at least 3 such seconds to count); its share is what it got processed per backlogged second. Jain's index is 1 when backlogged tenants got equal shares.");
        Line(md, "");
        foreach (var system in run.Systems.Where(s => s.Fairness.Tenants > 0))
        {
            var shares = system.Fairness.RatesWhileBacklogged.OrderByDescending(r => r.Value).ToList();
            var shown = string.Join(", ", shares.Take(8).Select(r => $"{r.Key} {r.Value:0.#}/s"));
            Line(md, $"- {system.System} backlogged shares: {shown}{(shares.Count > 8 ? $", … ({shares.Count} tenants)" : "")}");
        }
        Line(md, "");
        if (run.Scenario is MaxScenario)
        {
            foreach (var system in run.Systems)
            {
                var sat = system.Saturation;
                var knee = sat.KneeSecond is { } k ? $"p99 first passed {run.Settings.TargetP99Ms:0} ms for events sent in second {k}, when {sat.KneeOfferedRate:N0}/s were being sent" : $"p99 stayed under {run.Settings.TargetP99Ms:0} ms";
                var sustained = sat.BestSustained is { } b ? $", best 30-second {b:N0}/s" : "";
                Line(md, $"- {system.System}: best 5-second throughput {sat.BestThroughput:N0}/s{sustained}; {knee}.");
            }
            Line(md, "");
        }
    }

    private static void Noisy(StringBuilder md, RunOutcome run)
    {
        Line(md, "### Quiet tenants with and without the noisy one");
        Line(md, "");
        Line(md, "| system | quiet p99 without noisy | quiet p99 with noisy | of which sharing noisy's partition | noisy tenant processed / sent |");
        Line(md, "|---|---|---|---|---|");
        foreach (var system in run.Systems)
        {
            var without = system.Phase("quiet-only")?.Latency(NoisyScenario.Quiet, NoisyScenario.QuietSharing) ?? LatencySummary.Empty;
            var withPhase = system.Phase("with-noisy");
            var with = withPhase?.Latency(NoisyScenario.Quiet, NoisyScenario.QuietSharing) ?? LatencySummary.Empty;
            var sharing = withPhase?.Latency(NoisyScenario.QuietSharing) ?? LatencySummary.Empty;
            var noisy = withPhase?.Events.Where(e => e.Class == NoisyScenario.Noisy).ToList() ?? [];
            var ge = withPhase?.Censored == true ? "≥" : "";
            Line(md, $"| {system.System} | {Ms(without.P99)} ms | {ge}{Ms(with.P99)} ms | {ge}{Ms(sharing.P99)} ms | {noisy.Count(e => e.Finished):N0} / {noisy.Count:N0} |");
        }
        Line(md, "");
    }

    private static void PerTenant(StringBuilder md, RunOutcome run)
    {
        Line(md, "### Per tenant");
        Line(md, "");
        Line(md, "| system | phase | tenant | class | events | p50 ms | p95 ms | p99 ms |");
        Line(md, "|---|---|---|---|---|---|---|---|");
        foreach (var system in run.Systems)
        {
            foreach (var p in system.Phases)
            {
                foreach (var (tenant, l) in p.ByTenant().OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    var cls = p.Events.First(e => e.Tenant == tenant).Class;
                    Line(md, $"| {system.System} | {p.Phase} | {tenant} | {cls} | {l.Count} | {Ms(l.P50)} | {Ms(l.P95)} | {Ms(l.P99)} |");
                }
            }
        }
        Line(md, "");
    }

    private static void Guardian(StringBuilder md, GuardianResult g)
    {
        Line(md, "## Guardian run");
        Line(md, "");
        Line(md, "| status | tenants reconciled | checks | repairs | drift alerts | wall time (guardian_runs) | admin API call |");
        Line(md, "|---|---|---|---|---|---|---|");
        Line(md, $"| {g.Status} (HTTP {g.HttpStatus}) | {g.TenantsDone}/{g.Tenants} | {g.Checks:N0} of {g.ExpectedChecks:N0} | {g.Repairs:N0} | {g.Alerts:N0} | {g.WallSeconds:0.00} s | {g.CallSeconds:0.00} s |");
        Line(md, "");
        Line(md, "Channels start level with internal stock except 1% of items off by 2 (repaired: within the threshold of 5) and 0.2% off by 20 (alerted).");
        Line(md, "");
    }

    private static void Memory(StringBuilder md, RunOutcome run)
    {
        Line(md, "## Memory");
        Line(md, "");
        Line(md, "| process | peak RSS |");
        Line(md, "|---|---|");
        foreach (var (name, bytes) in run.PeakRssBytes.OrderBy(p => p.Key, StringComparer.Ordinal)) Line(md, $"| {name} | {bytes / 1024.0 / 1024.0:0} MiB |");
        Line(md, "");
        if (run.Baseline is not null)
        {
            Line(md, $"The harness process also hosts the embedded Kafka, the simulator and the baseline; the baseline held at most {run.BaselinePeakBuffered:N0} records in its partition queues and gave up on {run.BaselineFailed:N0} records.");
            Line(md, "");
        }
        if (run.SendFailures > 0)
        {
            Line(md, $"⚠ {run.SendFailures:N0} sends were not acknowledged by the brokers.");
            Line(md, "");
        }
    }

    private static void Costs(StringBuilder md, RunOutcome run)
    {
        if (run.AgentCosts.Count == 0) return;
        Line(md, "## Fairlane's processing transactions (worker metrics, warm-up included)");
        Line(md, "");
        Line(md, "| agent | transactions | mean ms | transactions with more than one event | mean events in those |");
        Line(md, "|---|---|---|---|---|");
        foreach (var c in run.AgentCosts) Line(md, $"| {c.Agent} | {c.Transactions:N0} | {c.MeanMs:0.0} | {c.BatchedTransactions:N0} | {c.MeanBatch:0.0} |");
        Line(md, "");
    }

    private static string Ms(double value) => double.IsNaN(value) ? "—" : value.ToString("0", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder md, string text) => md.AppendLine(text);
}
