namespace Fairlane.Tests.Partitioning;

/// <summary>Moving a tenant's events between memory and the park: spills of held tenants and drains back.</summary>
public sealed class EngineParkTests
{
    [Fact]
    public void Holding_a_tenant_sends_its_queued_kafka_events_to_the_park_and_puts_loaded_ones_back()
    {
        var rig = new EngineRig(queueDepth: 10, parked: ("a", 9));
        rig.Core.IntakeReachedEnd(EngineRig.P, 10);
        var request = Assert.Single(rig.Core.StartDrains()).Request;
        Assert.True(rig.Load(request, rows: 2, 8, 9)); // short: the park is empty now
        Assert.Null(rig.Admit("a", 10));
        Assert.Null(rig.Admit("a", 11));
        Assert.Null(rig.Admit("a", 12, waitsWhileHeld: false));

        var spilled = rig.Hold("a");

        Assert.Equal([10L, 11L], spilled.Select(e => e.Offset)); // to be written to the park
        Assert.Equal(1, rig.Queued("a")); // the lifecycle command stays
        Assert.Equal(2, rig.Core.Snapshot(10).InTransit);
        Assert.Equal(3, rig.Core.Buffered);

        // The loaded rows were only put back: once the writes are stored and the tenant resumes, loading starts at 8 again.
        foreach (var e in spilled) rig.Core.InTransitDone(e.Partition, e.Tenant, e.Assignment, e.Offset, parked: true);
        rig.Hold("a", held: false);
        Assert.Equal(7, Assert.Single(rig.Core.StartDrains()).Request.After);
    }

    [Fact]
    public void A_drain_starts_only_once_the_queue_is_half_empty_and_loads_at_most_the_room_left()
    {
        var rig = new EngineRig(queueDepth: 10, parkBatch: 8, parked: ("a", 50));
        rig.Core.IntakeReachedEnd(EngineRig.P, 100);
        var first = Assert.Single(rig.Core.StartDrains()).Request;
        Assert.Equal(8, first.Limit); // the park batch bounds it
        Assert.True(rig.Load(first, rows: 8, 0, 1, 2, 3, 4, 5, 6, 7));

        Assert.Empty(rig.Core.StartDrains()); // 8 queued
        rig.RunOne();
        rig.RunOne();
        var running = Assert.Single(rig.Take());
        Assert.Empty(rig.Core.StartDrains()); // 5 queued and 1 running: more than half of 10

        rig.Core.Finish(running, TimeSpan.FromMilliseconds(1));
        var next = Assert.Single(rig.Core.StartDrains()).Request;
        Assert.Equal(7, next.After);
        Assert.Equal(5, next.Limit); // the room left in the queue
    }

    [Fact]
    public void A_load_that_returns_after_its_tenant_was_held_is_void_and_its_rows_stay_parked()
    {
        var rig = new EngineRig(parked: ("a", 9));
        rig.Core.IntakeReachedEnd(EngineRig.P, 100);
        var request = Assert.Single(rig.Core.StartDrains()).Request;

        rig.Hold("a");
        Assert.False(rig.Load(request, rows: 2, 8, 9));
        Assert.Equal(0, rig.Queued("a"));
        Assert.Empty(rig.Core.StartDrains()); // nothing loads while held

        rig.Hold("a", held: false);
        Assert.Equal(-1, Assert.Single(rig.Core.StartDrains()).Request.After); // from the start again
    }

    [Fact]
    public void A_load_that_returns_while_its_partition_is_handed_over_is_void_and_nothing_more_loads()
    {
        var rig = new EngineRig(parked: ("a", 9));
        rig.Core.IntakeReachedEnd(EngineRig.P, 100);
        var request = Assert.Single(rig.Core.StartDrains()).Request;

        rig.Core.BeginHandOver(EngineRig.JustP);
        Assert.False(rig.Load(request, rows: 2, 8, 9));
        Assert.Equal(0, rig.Queued("a"));
        Assert.Empty(rig.Core.StartDrains());
    }
}
