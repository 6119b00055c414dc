using Fairlane.Agents.Bus;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Inventory;
using Fairlane.Agents.Storage;
using Fairlane.Agents.Sync;
using Npgsql;

namespace Fairlane.Tests.Agents.Storage;

/// <summary>
/// Every statement the Watcher and a Sync pass run in a <see cref="GenericPlans"/> stretch, built by the
/// code that builds them in production, for two products of <see cref="SkewedFleet.Large"/>.
/// </summary>
internal static class StretchStatements
{
    public static readonly string[] Products = ["p17", "p4242"];

    /// <param name="openSyncEvents">each product's open sync_events ids (any ids will do where the rows do not matter)</param>
    public static IEnumerable<(string Name, NpgsqlBatchCommand Command)> For(HandlerContext context, Func<string, IReadOnlyList<long>> openSyncEvents)
    {
        var records = Products.Select(p => new SyncRecord(
            new SyncTarget(p, 10, 0, [("north", $"north-{p}"), ("south", $"south-{p}")], openSyncEvents(p)),
            "partial", ["north"], [new ChannelSyncResult("north", SyncOutcomes.Ok, 10, null), new ChannelSyncResult("south", SyncOutcomes.Failed, null, "down")]))
            .ToList();
        var claimed = Products.Select(p => new ClaimedSync(context.TenantId, p, 1, null, DateTimeOffset.UtcNow, [])).ToList();
        IEnumerable<(string, IEnumerable<NpgsqlBatchCommand>)> groups =
        [
            ("Watcher: writes", InventoryStore.ApplyReportsCommands(context, Products.Select(p => (p, 7)).ToList(),
                Products.Select(p => new ItemReport("north", $"north-{p}", p, 7, 3, DateTimeOffset.UtcNow)).ToList(),
                Products.Select((p, i) => new SyncEventRow(10_000_000 + i, p, $"s-{p}", "north", 7)).ToList())),
            ("Watcher: hand-off to Sync", [PendingSyncs.MarkManyCommand(context, Products.Select(p => (p, (string?)"north")).ToList(), TimeSpan.FromMilliseconds(50))]),
            ("pass: targets", [SyncStore.ReadTargetsCommand(context.TenantId, Products)]),
            ("pass: record", SyncStore.RecordCommands(context, records)),
            ("pass: refused credentials", [ChannelStore.SetStatusCommand(context.TenantId, "south", ChannelStatus.AuthFailed)]),
            ("pass: release", PendingSyncs.ReleaseCommands(context, claimed)),
        ];
        return groups.SelectMany(g => g.Item2.Select((command, i) => ($"{g.Item1} #{i + 1}", command)));
    }
}
