using Fairlane.Partitioning.Engine;
using Fairlane.Partitioning.Parking;

namespace Fairlane.Tests.Partitioning;

/// <summary>Where an admitted event goes: the tenant's in-memory queue, or in transit to the park, and why.</summary>
public sealed class EngineAdmissionTests
{
    [Fact]
    public void An_event_queues_until_its_tenant_reaches_the_queue_cap_then_parks_over_cap()
    {
        var rig = new EngineRig(queueDepth: 2);
        Assert.Null(rig.Admit("a", 0));
        Assert.Null(rig.Admit("a", 1));
        Assert.Equal(ParkReason.OverCap, rig.Admit("a", 2));
        Assert.Null(rig.Admit("b", 3)); // the cap is per tenant
        Assert.Equal(2, rig.Queued("a"));
    }

    [Fact]
    public void A_tenants_own_queue_depth_overrides_the_default()
    {
        var rig = new EngineRig(queueDepth: 10);
        rig.Core.ApplyTenants([new TenantSettings("a", false, 1, 1, null, 1)]);
        Assert.Null(rig.Admit("a", 0));
        Assert.Equal(ParkReason.OverCap, rig.Admit("a", 1));
    }

    [Fact]
    public void Once_a_tenant_parked_its_newer_events_park_behind_even_with_room_in_memory()
    {
        var rig = new EngineRig(queueDepth: 1);
        Assert.Null(rig.Admit("a", 0));
        Assert.Equal(ParkReason.OverCap, rig.Admit("a", 1));
        Assert.Equal(0, rig.RunOne());

        Assert.Equal(ParkReason.Draining, rig.Admit("a", 2)); // queue empty, but offset 1 is still being parked
        rig.Core.InTransitDone(EngineRig.P, "a", rig.Assignment, 1, parked: true);
        Assert.Equal(ParkReason.Draining, rig.Admit("a", 3)); // parked, not yet loaded back
        Assert.Equal(0, rig.Queued("a"));
    }

    [Fact]
    public void Rows_left_in_the_park_by_an_earlier_owner_make_only_their_tenant_park()
    {
        var rig = new EngineRig(parked: ("a", 5));
        Assert.Equal(ParkReason.Draining, rig.Admit("a", 10));
        Assert.Null(rig.Admit("b", 11));
    }

    [Fact]
    public void A_held_tenant_parks_its_events_but_its_lifecycle_commands_still_queue()
    {
        var rig = new EngineRig();
        rig.Hold("a");
        Assert.Null(rig.Admit("a", 0, waitsWhileHeld: false)); // its resume must not wait behind its pause
        Assert.Equal(ParkReason.Paused, rig.Admit("a", 1));
        Assert.Equal(1, rig.Queued("a"));
    }

    [Fact]
    public void An_event_in_transit_stays_buffered_and_its_offset_incomplete_until_stored()
    {
        var rig = new EngineRig();
        rig.Hold("a");
        Assert.Equal(ParkReason.Paused, rig.Admit("a", 0, bytes: 100));
        rig.Consume("b", 1, bytes: 50);
        rig.Core.BeginInTransit(EngineRig.P); // offset 1 leaves for the dead-letter topic
        Assert.Equal(2, rig.Core.Buffered);
        Assert.Equal(150, rig.Core.BufferedBytes);
        Assert.Equal(2, rig.Core.Snapshot(10).InTransit);
        Assert.Equal([(EngineRig.P, 0L)], rig.Commits());
        Assert.True(rig.Core.AnyBusy(EngineRig.JustP)); // a hand-over waits for it

        rig.Core.InTransitDone(EngineRig.P, "b", rig.Assignment, 1, parked: false);
        rig.Core.InTransitDone(EngineRig.P, "a", rig.Assignment, 0, parked: true);

        Assert.Equal(0, rig.Core.Buffered);
        Assert.Equal(0, rig.Core.BufferedBytes);
        Assert.False(rig.Core.AnyBusy(EngineRig.JustP));
        Assert.Equal([(EngineRig.P, 2L)], rig.Commits());
    }
}
