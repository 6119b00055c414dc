using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Observability;
using Fairlane.Worker.Retention;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fairlane.Tests.Worker.Retention;

/// <summary>
/// Retention against a real database: expired rows go, recent ones stay, in batches, one node at a
/// time, counted. The tests of this class share the process-wide counters, so they run one after
/// another (xunit never runs two tests of one class at once) and compare before and after.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RetentionTests
{
    private const int Expired = 25; // two and a half batches
    private const int Recent = 5;
    private const int OpenAlerts = 3;
    private static readonly RetentionOptions Options = new() { BatchSize = 10 }; // 7 / 30 / 30 / 30 days
    private static readonly string[] Tables = ["processed_events", "sync_events", "alerts", "dlq_index"];

    private static RetentionRunner Runner(TestDatabase db) => new(db.Owner, Options, NullLogger<RetentionRunner>.Instance);

    /// <summary>Per table, <see cref="Expired"/> rows just past its window and <see cref="Recent"/> just inside it.</summary>
    private static async Task SeedAsync(TestDatabase db)
    {
        await db.RegisterTenantsAsync(["shop", "other"]);
        await using var cmd = db.Owner.CreateCommand($"""
            INSERT INTO processed_events (tenant_id, event_id, topic, partition, "offset", processed_at)
            SELECT CASE WHEN i % 2 = 0 THEN 'shop' ELSE 'other' END, 'old-' || i, 't', 0, i, now() - interval '8 days' FROM generate_series(1, {Expired}) i
            UNION ALL
            SELECT 'shop', 'new-' || i, 't', 0, i, now() - interval '6 days' FROM generate_series(1, {Recent}) i;

            INSERT INTO sync_events (tenant_id, product_id, source_event_id, quantity, created_at)
            SELECT 'shop', 'p1', 'old-' || i, 1, now() - interval '31 days' FROM generate_series(1, {Expired}) i
            UNION ALL
            SELECT 'other', 'p1', 'new-' || i, 1, now() - interval '29 days' FROM generate_series(1, {Recent}) i;

            INSERT INTO alerts (tenant_id, kind, subject, message, status, created_at, resolved_at)
            SELECT 'shop', 'low_stock', 'old-' || i, 'm', 'resolved', now() - interval '40 days', now() - interval '31 days' FROM generate_series(1, {Expired}) i
            UNION ALL
            SELECT 'shop', 'low_stock', 'new-' || i, 'm', 'resolved', now() - interval '40 days', now() - interval '29 days' FROM generate_series(1, {Recent}) i
            UNION ALL -- open for months, never resolved: kept whatever its age
            SELECT 'other', 'drift', 'open-' || i, 'm', 'open', now() - interval '90 days', NULL FROM generate_series(1, {OpenAlerts}) i;

            INSERT INTO dlq_index (tenant_id, event_id, reason, origin_topic, origin_partition, origin_offset, created_at)
            SELECT 'shop', 'old-' || i, 'malformed', 't', 0, i, now() - interval '31 days' FROM generate_series(1, {Expired}) i
            UNION ALL
            SELECT NULL, 'new-' || i, 'unknown-tenant', 't', 1, i, now() - interval '29 days' FROM generate_series(1, {Recent}) i;
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    private static Task<long> CountAsync(TestDatabase db, string table) => db.ScalarAsync<long>($"SELECT count(*) FROM {table}");

    private static Dictionary<string, double> DeletedCounters() =>
        Tables.ToDictionary(t => t, t => FairlaneMetrics.RetentionDeletedRows.WithLabels(t).Value);

    [Fact(Timeout = 60_000)]
    public async Task Expired_rows_are_deleted_across_batches_recent_ones_and_open_alerts_kept_and_the_metrics_count_them()
    {
        await using var db = await TestDatabase.CreateAsync();
        await SeedAsync(db);
        var before = DeletedCounters();
        var started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var run = await Runner(db).RunOnceAsync(CancellationToken.None);

        Assert.True(run.Ran);
        Assert.All(Tables, t => Assert.Equal(Expired, run.Deleted[t]));
        Assert.Equal(Recent, await CountAsync(db, "processed_events"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM processed_events WHERE event_id LIKE 'old-%'"));
        Assert.Equal(Recent, await CountAsync(db, "sync_events"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM sync_events WHERE source_event_id LIKE 'old-%'"));
        Assert.Equal(Recent, await db.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE status = 'resolved'"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE subject LIKE 'old-%'"));
        Assert.Equal(OpenAlerts, await db.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE status = 'open'"));
        Assert.Equal(Recent, await CountAsync(db, "dlq_index"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM dlq_index WHERE event_id LIKE 'old-%'"));

        var after = DeletedCounters();
        Assert.All(Tables, t => Assert.Equal(Expired, after[t] - before[t]));
        Assert.True(FairlaneMetrics.RetentionLastRun.Value >= started, $"last run {FairlaneMetrics.RetentionLastRun.Value} < {started}");

        // Nothing more has expired: a second run deletes nothing.
        var again = await Runner(db).RunOnceAsync(CancellationToken.None);
        Assert.All(Tables, t => Assert.Equal(0, again.Deleted[t]));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_node_finding_the_lock_held_by_another_deletes_nothing_and_runs_once_it_is_free()
    {
        await using var db = await TestDatabase.CreateAsync();
        await SeedAsync(db);
        var busyBefore = FairlaneMetrics.RetentionRuns.WithLabels("busy").Value;

        // Another node mid-run holds the lock on its session.
        await using (var otherNode = await db.Owner.OpenConnectionAsync())
        {
            await using (var take = otherNode.CreateCommand())
            {
                take.CommandText = $"SELECT pg_advisory_lock({RetentionRunner.LockKey})";
                await take.ExecuteNonQueryAsync();
            }

            var blocked = await Runner(db).RunOnceAsync(CancellationToken.None);

            Assert.False(blocked.Ran);
            Assert.Equal(Expired + Recent, await CountAsync(db, "processed_events"));
            Assert.Equal(Expired + Recent, await CountAsync(db, "sync_events"));
            Assert.Equal(Expired + Recent + OpenAlerts, await CountAsync(db, "alerts"));
            Assert.Equal(1, FairlaneMetrics.RetentionRuns.WithLabels("busy").Value - busyBefore);

            await using var release = otherNode.CreateCommand();
            release.CommandText = $"SELECT pg_advisory_unlock({RetentionRunner.LockKey})";
            await release.ExecuteNonQueryAsync();
        }

        var run = await Runner(db).RunOnceAsync(CancellationToken.None);
        Assert.True(run.Ran);
        Assert.Equal(Recent, await CountAsync(db, "processed_events"));
        // The runner released its own lock: the next node's run gets it.
        Assert.True((await Runner(db).RunOnceAsync(CancellationToken.None)).Ran);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_tenant_with_parked_events_keeps_its_expired_ledger_rows_until_its_park_is_empty()
    {
        // A paused tenant's park may hold a copy of an event that already ran (re-delivered after a crash):
        // when the pause outlasts the ledger window, that copy must still meet its ledger row.
        await using var db = await TestDatabase.CreateAsync();
        await SeedAsync(db);
        await db.ExecuteAsync("""
            INSERT INTO parked_events (tenant_id, topic, partition, "offset", key, value, headers, reason)
            VALUES ('other', 't', 0, 1, 'other', '\x7b7d', '[]', 'paused')
            """);

        var run = await Runner(db).RunOnceAsync(CancellationToken.None);

        const int OtherExpired = Expired - Expired / 2; // the odd ones
        Assert.Equal(Expired / 2, run.Deleted["processed_events"]); // only 'shop' loses its old rows
        Assert.Equal(OtherExpired, await db.ScalarAsync<long>("SELECT count(*) FROM processed_events WHERE tenant_id = 'other'"));

        await db.ExecuteAsync("DELETE FROM parked_events");
        var after = await Runner(db).RunOnceAsync(CancellationToken.None);
        Assert.Equal(OtherExpired, after.Deleted["processed_events"]);
    }
}
