using System.Diagnostics;
using Fairlane.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fairlane.Tests.Worker.Intake;

/// <summary>
/// Regression (found by the chaos run): after a worker was killed, the survivors processed nothing on
/// the partitions they kept until the group had rebalanced — 20 to 55 s with a 30 s session. The
/// periodic offset commit was synchronous on the consume thread, and the coordinator answers a commit
/// only once the rebalance under way ends, so consumption waited with it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RebalanceLivenessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact(Timeout = 240_000)]
    public async Task A_survivor_keeps_processing_its_own_partitions_while_the_group_rebalances_after_a_kill()
    {
        await using var fleet = await new StackBuilder().Kafka(3, 12).ForProcesses().StartAsync();
        var sales = await DeltaStream.SeedAsync(fleet.Db, EventSender.Tenants(24), products: 3);
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var a = fleet.StartProcess(portA);
        await using var b = fleet.StartProcess(portB);
        using var metricsA = new MetricsScrape(portA);
        using var metricsB = new MetricsScrape(portB);
        await Eventually.WaitAsync(async () => (await fleet.WebhookPartitionsOfAsync(metricsA), await fleet.WebhookPartitionsOfAsync(metricsB)),
            n => n.Item1 > 0 && n.Item2 > 0, Deadline, "both workers to own webhooks partitions");
        var ownAtStart = await fleet.WebhookPartitionsOfAsync(metricsB);

        // A steady stream over every partition, for as long as the test watches.
        using var stop = new CancellationTokenSource();
        var stream = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await fleet.SendAsync(sales.Next(12));
                await Task.Delay(250);
            }
        });
        try
        {
            await a.KillAsync();
            // Sample the survivor until it has taken over the dead worker's partitions.
            var samples = new List<(TimeSpan At, double Processed, double Partitions)>();
            var clock = Stopwatch.StartNew();
            while (samples.Count == 0 || samples[^1].Partitions <= ownAtStart)
            {
                Assert.True(clock.Elapsed < Deadline, "the survivor never took over the dead worker's partitions");
                samples.Add((clock.Elapsed, await metricsB.ReadAsync("fairlane_events_processed_total{agent=\"watcher\"}") ?? 0,
                    await fleet.WebhookPartitionsOfAsync(metricsB)));
                await Task.Delay(250);
            }

            // The last seconds before the take-over are the rebalance itself: the survivor must have gone on.
            var takeOver = samples[^1].At;
            var before = samples.Where(s => s.At < takeOver && s.At >= takeOver - TimeSpan.FromSeconds(3)).ToList();
            output.WriteLine(string.Join("\n", samples.Select(s => $"{s.At.TotalSeconds:0.00}s processed {s.Processed} partitions {s.Partitions}")));
            Assert.True(before.Count >= 2, "too few samples before the take-over");
            Assert.True(before[^1].Processed > before[0].Processed,
                $"the survivor processed nothing in the {(before[^1].At - before[0].At).TotalSeconds:0.0} s before it took over the dead worker's partitions");
        }
        finally
        {
            await stop.CancelAsync();
            await stream;
            await a.DisposeAsync();
        }
    }
}
