using Fairlane.Partitioning.Placement;
using Fairlane.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fairlane.Tests.Worker.Engine;

/// <summary>
/// Regression: the park's load position could move past rows written later — on a hand-over (the new
/// owner loaded the rows its predecessor parked, then parked the re-delivered older records behind
/// its position) and on a pause (in-memory events spilled below what was already loaded). Those rows
/// sat until the partition moved, then ran after newer reports and were dropped as stale: sales lost.
/// Here every report is a sale without a sequence, so any event stranded, reordered, lost or doubled
/// shows in the final stock and sync count of its product.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ParkOrderTests(ITestOutputHelper output)
{
    private const int Partitions = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    [Fact(Timeout = 420_000)]
    public async Task Sales_survive_a_small_queue_cap_a_pause_and_a_killed_worker_each_applied_once_in_order()
    {
        // Every partition carries a tenant that is paused mid-stream and one that never is, so whichever
        // worker is killed hands over both a held park and a draining one.
        var (steady, paused) = (TenantsCoveringEveryPartition("steady"), TenantsCoveringEveryPartition("held"));
        await using var fleet = await new StackBuilder().Kafka(3, Partitions).ForProcesses()
            .With("Engine:TenantQueueDepth", 50) // a small cap: most of each backlog goes through the park
            .With("Engine:MaxBatchSize", 1)
            .With("Engine:ArtificialHandlerDelayMs", 4)
            .With("Engine:TenantRefreshMs", 200)
            .StartAsync();
        var sales = await DeltaStream.SeedAsync(fleet.Db, [.. steady, .. paused], products: 5);
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var a = fleet.StartProcess(portA);
        await using var b = fleet.StartProcess(portB);
        WorkerProcess? a2 = null;
        try
        {
            using var metricsA = new MetricsScrape(portA);
            using var metricsB = new MetricsScrape(portB);
            await Eventually.WaitAsync(async () => (await fleet.WebhookPartitionsOfAsync(metricsA), await fleet.WebhookPartitionsOfAsync(metricsB)),
                n => n.Item1 > 0 && n.Item2 > 0, Deadline, "both workers to own webhooks partitions");

            await fleet.SendAsync(sales.Next(steady.Count * 300 + paused.Count * 300));
            await SetStatusAsync(fleet.Db, paused, "paused");
            await fleet.SendAsync(sales.Next(steady.Count * 300 + paused.Count * 300));

            // Kill a worker while both parks hold rows: a held tenant's and a steady tenant's behind its cap.
            var parkedSteady = await Eventually.WaitAsync(() => ParkedAsync(fleet.Db, steady), n => n >= 200, Deadline, "steady tenants' backlogs in the park");
            await Eventually.WaitAsync(() => ParkedAsync(fleet.Db, paused), n => n >= 200, Deadline, "held tenants' events in the park");
            await a.KillAsync();
            output.WriteLine($"killed worker A with {parkedSteady} steady-tenant events parked");

            a2 = fleet.StartProcess(FreePort.Next());
            await SetStatusAsync(fleet.Db, paused, "active");
            await fleet.SendAsync(sales.Next(steady.Count * 300 + paused.Count * 300));

            await sales.WaitUntilAppliedAsync(fleet.Db, Deadline);
            output.WriteLine($"{sales.Sent} sales applied once each");
        }
        finally
        {
            await a.DisposeAsync();
            if (a2 is not null) await a2.DisposeAsync();
        }
    }

    private static List<string> TenantsCoveringEveryPartition(string prefix)
    {
        var byPartition = new Dictionary<int, string>();
        for (var i = 0; byPartition.Count < Partitions; i++)
        {
            var name = $"{prefix}-{i}";
            byPartition.TryAdd(TenantPlacement.PartitionFor(name, Partitions), name);
        }
        return [.. byPartition.Values];
    }

    private static async Task<long> ParkedAsync(TestDatabase db, IReadOnlyList<string> tenants)
    {
        await using var cmd = db.Owner.CreateCommand("SELECT count(*) FROM parked_events WHERE tenant_id = ANY(@t)");
        cmd.Parameters.AddWithValue("t", tenants.ToArray());
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task SetStatusAsync(TestDatabase db, IReadOnlyList<string> tenants, string status)
    {
        await using var cmd = db.Owner.CreateCommand("UPDATE tenants SET status = @s, updated_at = now() WHERE id = ANY(@t)");
        cmd.Parameters.AddWithValue("s", status);
        cmd.Parameters.AddWithValue("t", tenants.ToArray());
        Assert.Equal(tenants.Count, await cmd.ExecuteNonQueryAsync());
    }
}
