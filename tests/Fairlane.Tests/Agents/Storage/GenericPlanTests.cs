using Fairlane.Agents.Handling;
using Fairlane.Agents.Inventory;
using Fairlane.Agents.Storage;
using Fairlane.Agents.Sync;
using Fairlane.Tests.Infrastructure;
using Npgsql;

namespace Fairlane.Tests.Agents.Storage;

/// <summary>
/// Every statement the Watcher and a Sync pass run in a <see cref="GenericPlans"/> stretch, run with its
/// generic plan for the large tenant of a <see cref="SkewedFleet"/>: each must touch a few dozen pages
/// for two keys, not the thousands that hold the tenant's rows, whether its plan was made on the
/// skewed tables or while they were empty.
/// </summary>
public sealed class GenericPlanTests(SkewedFleet fleet) : IClassFixture<SkewedFleet>
{
    // Two keys reach a few dozen pages (index descents, heap, the rows' indexes when written); a scan of
    // the large tenant's rows reads thousands.
    private const long PageBound = 200;

    [Fact(Timeout = 120_000)]
    public async Task The_skew_is_enough_to_trap_a_plan_that_reads_the_tenant_then_picks_the_keys()
    {
        // The shape the statements had before: as a generic plan it reads every pending row of the tenant.
        await using var probe = await PlanProbe.PrepareAsync(fleet.Database.App, SkewedFleet.Large,
            BatchCommand.Of("SELECT 1 FROM sync_pending WHERE tenant_id = $1 AND product_id = ANY($2) ORDER BY product_id FOR UPDATE",
                SkewedFleet.Large, StretchStatements.Products));
        var pages = await probe.PagesAsync();
        Assert.True(pages > 10 * PageBound, $"{pages} pages");
    }

    [Fact(Timeout = 120_000)]
    public async Task Every_statement_of_a_stretch_reaches_the_large_tenants_rows_by_key()
    {
        var open = new Dictionary<string, IReadOnlyList<long>>();
        foreach (var product in StretchStatements.Products) open[product] = await OpenSyncEventsAsync(fleet.Database, product);
        await AssertBoundedAsync(fleet.Database, open, warm: null);
    }

    [Fact(Timeout = 300_000)]
    public async Task Plans_made_while_the_tables_were_empty_still_reach_rows_by_key_once_they_have_filled()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.RegisterTenantsAsync([SkewedFleet.Large]);
        await database.ExecuteAsync("ANALYZE"); // PostgreSQL knows the tables empty: a plan made now may think any scan cheap
        var none = StretchStatements.Products.ToDictionary(p => p, _ => (IReadOnlyList<long>)[1, 2]);
        await AssertBoundedAsync(database, none, warm: () => SkewedFleet.SeedAsync(database));
    }

    [Fact(Timeout = 120_000)]
    public async Task The_rewritten_statements_still_do_their_work_for_the_large_tenant()
    {
        await using var connection = await fleet.Database.App.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var context = new HandlerContext(connection, tx, SkewedFleet.Large, default);
        await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { TenantDatabase.BindCommand(SkewedFleet.Large) } };
        GenericPlans.AddTo(batch,
        [
            .. InventoryStore.ApplyReportsCommands(context, [("p17", 3)], [new ItemReport("south", "south-p17", "p17", 4, 9, DateTimeOffset.UtcNow)], []),
            .. PendingSyncs.ReleaseCommands(context, [new ClaimedSync(SkewedFleet.Large, "p4242", 1, null, DateTimeOffset.UtcNow, [])]),
        ]);
        await batch.ExecuteNonQueryAsync();

        await using var check = new NpgsqlCommand("""
            SELECT (SELECT stock FROM products WHERE tenant_id = $1 AND id = 'p17'),
                   (SELECT channel_stock FROM product_channel_mappings WHERE tenant_id = $1 AND channel_id = 'south' AND external_id = 'south-p17'),
                   (SELECT count(*) FROM product_channel_mappings WHERE tenant_id = $1 AND channel_stock IS NOT NULL),
                   (SELECT count(*) FROM sync_pending WHERE tenant_id = $1),
                   current_setting('plan_cache_mode'), current_setting('enable_seqscan')
            """, connection, tx) { Parameters = { new() { Value = SkewedFleet.Large } } };
        await using var reader = await check.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(3, reader.GetInt32(0));
        Assert.Equal(4, reader.GetInt32(1));
        Assert.Equal(1, reader.GetInt64(2)); // that item alone
        Assert.Equal(SkewedFleet.LargeProducts - 1, reader.GetInt64(3)); // the claimed row released, no other
        Assert.Equal(("auto", "on"), (reader.GetString(4), reader.GetString(5))); // the stretch ended: the session's own settings again
    }

    private static async Task<IReadOnlyList<long>> OpenSyncEventsAsync(TestDatabase database, string productId)
    {
        await using var cmd = database.Owner.CreateCommand(
            "SELECT array_agg(id ORDER BY id) FROM sync_events WHERE tenant_id = $1 AND product_id = $2 AND completed_at IS NULL");
        cmd.Parameters.Add(new() { Value = SkewedFleet.Large });
        cmd.Parameters.Add(new() { Value = productId });
        var ids = (long[])(await cmd.ExecuteScalarAsync())!;
        Assert.NotEmpty(ids);
        return ids;
    }

    // Each statement prepared and run once (its plan made then), then, after warm (if any) has changed
    // the tables, explained with the plan it kept.
    private static async Task AssertBoundedAsync(TestDatabase database, IReadOnlyDictionary<string, IReadOnlyList<long>> open, Func<Task>? warm)
    {
        List<(string Name, string Sql, PlanProbe Probe)> probes = [];
        try
        {
            // The builders read only the context's tenant; each probe runs on a connection of its own.
            var context = new HandlerContext(null!, null!, SkewedFleet.Large, default);
            foreach (var (name, command) in StretchStatements.For(context, p => open[p]))
                probes.Add((name, command.CommandText, await PlanProbe.PrepareAsync(database.App, SkewedFleet.Large, command)));
            if (warm is not null) await warm();
            var over = new List<string>();
            foreach (var (name, sql, probe) in probes)
            {
                var pages = await probe.PagesAsync();
                if (pages > PageBound) over.Add($"{name}: {pages} pages for\n{sql}");
            }
            Assert.True(over.Count == 0, string.Join("\n\n", over));
        }
        finally
        {
            foreach (var (_, _, probe) in probes) await probe.DisposeAsync();
        }
    }
}
