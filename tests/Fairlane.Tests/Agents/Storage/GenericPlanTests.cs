using System.Text.Json;
using Fairlane.Agents.Bus;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Inventory;
using Fairlane.Agents.Storage;
using Fairlane.Agents.Sync;
using Npgsql;

namespace Fairlane.Tests.Agents.Storage;

/// <summary>
/// Every statement the Watcher's writes and a Sync pass run under <see cref="GenericPlans"/>, built by the
/// code that builds it in production, run for the large tenant of a <see cref="SkewedFleet"/> with its
/// generic plan: each must touch a handful of pages for two keys, not the tenant's tens of thousands of rows.
/// </summary>
public sealed class GenericPlanTests(SkewedFleet fleet) : IClassFixture<SkewedFleet>
{
    // Two keys reach a few dozen pages (index descents, heap, the rows' indexes when written); a scan of
    // the large tenant's rows reads thousands.
    private const long PageBound = 200;

    private static readonly string[] Products = ["p17", "p4242"];

    [Fact(Timeout = 120_000)]
    public async Task The_skew_is_enough_to_trap_a_plan_that_reads_the_tenant_then_picks_the_keys()
    {
        // The shape the statements had before: as a generic plan it reads every pending row of the tenant.
        var pages = await PagesAsync(BatchCommand.Of("SELECT 1 FROM sync_pending WHERE tenant_id = $1 AND product_id = ANY($2) ORDER BY product_id FOR UPDATE",
            SkewedFleet.Large, Products));
        Assert.True(pages > 10 * PageBound, $"{pages} pages");
    }

    [Fact(Timeout = 120_000)]
    public async Task The_watchers_locking_read_and_writes_reach_their_rows_by_key()
    {
        await AssertBoundedAsync(c => [InventoryStore.LockItemsCommand(c, [.. Products.Select(p => ("north", $"north-{p}")), ("south", "south-p17"), ("north", "unmapped")])]);
        await AssertBoundedAsync(c => InventoryStore.ApplyReportsCommands(c, Products.Select(p => (p, 7)).ToList(),
            Products.Select(p => new ItemReport("north", $"north-{p}", p, 7, 3, DateTimeOffset.UtcNow)).ToList(),
            Products.Select((p, i) => new SyncEventRow(10_000_000 + i, p, $"s-{p}", "north", 7)).ToList()));
        await AssertBoundedAsync(c => [PendingSyncs.MarkManyCommand(c, Products.Select(p => (p, (string?)"north")).ToList(), TimeSpan.FromMilliseconds(50))]);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_sync_pass_reads_by_key()
    {
        await AssertBoundedAsync(_ =>
        [
            TenantDatabase.BindCommand(SkewedFleet.Large),
            SyncStore.ReadTargetsCommand(SkewedFleet.Large, Products),
            ChannelStore.SetStatusCommand(SkewedFleet.Large, "south", ChannelStatus.AuthFailed),
        ]);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_sync_pass_records_and_releases_by_key()
    {
        var records = new List<SyncRecord>();
        foreach (var p in Products)
        {
            records.Add(new SyncRecord(new SyncTarget(p, 10, 0, [("north", $"north-{p}"), ("south", $"south-{p}")], await OpenSyncEventsAsync(p)),
                "partial", ["north"], [new ChannelSyncResult("north", SyncOutcomes.Ok, 10, null), new ChannelSyncResult("south", SyncOutcomes.Failed, null, "down")]));
        }
        await AssertBoundedAsync(c => SyncStore.RecordCommands(c, records));
        await AssertBoundedAsync(c => PendingSyncs.ReleaseCommands(c,
            Products.Select(p => new ClaimedSync(SkewedFleet.Large, p, 1, null, DateTimeOffset.UtcNow, [])).ToList()));
    }

    [Fact(Timeout = 120_000)]
    public async Task The_rewritten_statements_still_do_their_work_for_the_large_tenant()
    {
        await using var connection = await fleet.Database.App.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var context = new HandlerContext(connection, tx, SkewedFleet.Large, default);
        await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { TenantDatabase.BindCommand(SkewedFleet.Large), GenericPlans.Begin() } };
        foreach (var command in InventoryStore.ApplyReportsCommands(context, [("p17", 3)], [new ItemReport("south", "south-p17", "p17", 4, 9, DateTimeOffset.UtcNow)], []))
            batch.BatchCommands.Add(command);
        foreach (var command in PendingSyncs.ReleaseCommands(context, [new ClaimedSync(SkewedFleet.Large, "p4242", 1, null, DateTimeOffset.UtcNow, [])]))
            batch.BatchCommands.Add(command);
        batch.BatchCommands.Add(GenericPlans.End());
        await batch.ExecuteNonQueryAsync();

        await using var check = new NpgsqlCommand("""
            SELECT (SELECT stock FROM products WHERE tenant_id = $1 AND id = 'p17'),
                   (SELECT channel_stock FROM product_channel_mappings WHERE tenant_id = $1 AND channel_id = 'south' AND external_id = 'south-p17'),
                   (SELECT count(*) FROM product_channel_mappings WHERE tenant_id = $1 AND channel_stock IS NOT NULL),
                   (SELECT count(*) FROM sync_pending WHERE tenant_id = $1),
                   current_setting('plan_cache_mode')
            """, connection, tx) { Parameters = { new() { Value = SkewedFleet.Large } } };
        await using var reader = await check.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(3, reader.GetInt32(0));
        Assert.Equal(4, reader.GetInt32(1));
        Assert.Equal(1, reader.GetInt64(2)); // that item alone
        Assert.Equal(SkewedFleet.LargeProducts - 1, reader.GetInt64(3)); // the claimed row released, no other
        Assert.Equal("auto", reader.GetString(4)); // the stretch ended: the session's own mode again
    }

    private async Task<long[]> OpenSyncEventsAsync(string productId)
    {
        await using var cmd = fleet.Database.Owner.CreateCommand(
            "SELECT array_agg(id ORDER BY id) FROM sync_events WHERE tenant_id = $1 AND product_id = $2 AND completed_at IS NULL");
        cmd.Parameters.Add(new() { Value = SkewedFleet.Large });
        cmd.Parameters.Add(new() { Value = productId });
        var ids = (long[])(await cmd.ExecuteScalarAsync())!;
        Assert.NotEmpty(ids);
        return ids;
    }

    private async Task AssertBoundedAsync(Func<HandlerContext, IEnumerable<NpgsqlBatchCommand>> build)
    {
        await using var connection = await fleet.Database.App.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var commands = build(new HandlerContext(connection, tx, SkewedFleet.Large, default)).ToList();
        Assert.NotEmpty(commands);
        await tx.RollbackAsync();
        foreach (var command in commands)
        {
            var pages = await PagesAsync(command);
            Assert.True(pages <= PageBound, $"{pages} pages for:\n{command.CommandText}");
        }
    }

    /// <summary>
    /// Runs the statement once for the large tenant with its generic plan (prepared, then explained with
    /// its parameters, in a transaction rolled back) and returns the pages it touched.
    /// </summary>
    private async Task<long> PagesAsync(NpgsqlBatchCommand command)
    {
        await using var connection = await fleet.Database.App.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var setup = new NpgsqlBatch(connection, tx) { BatchCommands = { TenantDatabase.BindCommand(SkewedFleet.Large), GenericPlans.Begin() } })
            await setup.ExecuteNonQueryAsync();
        await using (var prepare = new NpgsqlCommand($"PREPARE probe AS {command.CommandText}", connection, tx))
            await prepare.ExecuteNonQueryAsync();
        // EXECUTE takes its arguments as SQL text: the server writes each value as a literal.
        var arguments = "";
        if (command.Parameters.Count > 0)
        {
            await using var quote = new NpgsqlCommand(
                "SELECT " + string.Join(", ", Enumerable.Range(1, command.Parameters.Count).Select(i => $"quote_nullable(${i})")), connection, tx);
            foreach (NpgsqlParameter parameter in command.Parameters) quote.Parameters.Add(parameter.Clone());
            await using var literals = await quote.ExecuteReaderAsync();
            await literals.ReadAsync();
            arguments = "(" + string.Join(", ", Enumerable.Range(0, literals.FieldCount).Select(literals.GetString)) + ")";
        }
        await using var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE probe{arguments}", connection, tx);
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
        await tx.RollbackAsync();
        await using (var deallocate = new NpgsqlCommand("DEALLOCATE probe", connection)) await deallocate.ExecuteNonQueryAsync();
        var root = plan.RootElement[0].GetProperty("Plan");
        return Pages(root);
    }

    // A node's counts include its children's; triggers (foreign keys checked on write) are outside the tree.
    private static long Pages(JsonElement node) =>
        node.GetProperty("Shared Hit Blocks").GetInt64() + node.GetProperty("Shared Read Blocks").GetInt64();
}
