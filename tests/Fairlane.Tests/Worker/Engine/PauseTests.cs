using Fairlane.Tests.Infrastructure;
using Fairlane.Tests.Worker.Tenants;
using Xunit.Abstractions;

namespace Fairlane.Tests.Worker.Engine;

/// <summary>A paused tenant's events are kept, not run; on resume they all run, in order, once.</summary>
[Trait("Category", "Integration")]
public sealed class PauseTests(ITestOutputHelper output)
{
    private const string Tenant = "pausable";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 180_000)]
    public async Task Pausing_parks_queued_and_new_events_and_resuming_applies_all_in_order_once()
    {
        // Slow, one event per transaction: a queue builds in memory, so the pause has something to spill.
        await using var stack = await new StackBuilder().Kafka(1, 6).With("Engine:ArtificialHandlerDelayMs", 20).With("Engine:MaxBatchSize", 1).With("Engine:TenantRefreshMs", 200).StartAsync();
        await stack.Db.RegisterTenantsAsync([Tenant]);
        var processed = () => stack.Db.ScalarAsync<long>("SELECT count(*) FROM processed_events");
        var parked = () => stack.Db.ScalarAsync<long>("SELECT count(*) FROM parked_events");

        await stack.SendPacedAsync(Enumerable.Range(0, 300).Select(i => EventSender.StockEvent(Tenant, i)));
        await Eventually.WaitAsync(processed, n => n >= 10, Deadline, "the first events processed");

        await SetStatusAsync(stack.Db, "paused");
        // Everything not yet done when the pause arrived moves to the park; what was running finishes.
        using var admin = new AdminClient(stack.Worker.AdminPort);
        await Eventually.WaitAsync(async () => (await admin.GetAsync($"/admin/tenants/{Tenant}/engine")).Json,
            view => view.GetProperty("held").GetBoolean() && view.GetProperty("queued").GetInt32() == 0 && view.GetProperty("inFlight").GetInt32() == 0,
            Deadline, "the node to hold the tenant with nothing of it in memory");
        var atPause = await Eventually.WaitAsync(async () => (Done: await processed(), Parked: await parked()),
            x => x.Done + x.Parked == 300, Deadline, "the queue spilled to the park");
        await stack.SendPacedAsync(Enumerable.Range(300, 500).Select(i => EventSender.StockEvent(Tenant, i)));
        var whilePaused = await Eventually.WaitAsync(parked, n => n == 800 - atPause.Done, Deadline, "500 new events parked");
        output.WriteLine($"paused after {atPause.Done} events; {whilePaused} parked");
        Assert.True(atPause.Done < 300, "the pause came too late to test anything");
        Assert.Equal(atPause.Done, await processed()); // nothing ran while paused

        await SetStatusAsync(stack.Db, "active");
        await Eventually.WaitAsync(processed, n => n >= 800, Deadline, "every event processed after resume");
        Assert.Equal(0, await parked());
        Assert.Equal(800, await stack.Db.ScalarAsync<long>("SELECT count(DISTINCT event_id) FROM processed_events"));
        // One tenant, one partition: processing order must be offset order.
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("""
            SELECT count(*) FROM (
                SELECT "offset" < lag("offset") OVER (ORDER BY processed_at, "offset") AS backwards FROM processed_events) o
            WHERE backwards
            """));
    }

    private static async Task SetStatusAsync(TestDatabase db, string status)
    {
        await using var cmd = db.Owner.CreateCommand("UPDATE tenants SET status = @status, updated_at = now() WHERE id = @id");
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.AddWithValue("id", Tenant);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }
}
