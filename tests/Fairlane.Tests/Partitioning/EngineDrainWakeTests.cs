namespace Fairlane.Tests.Partitioning;

/// <summary>
/// The park drains without gaps: the next page is asked for while the tenant still has events queued,
/// and the core says when a tenant crossed its drain line so the host wakes the drainer at once.
/// </summary>
public sealed class EngineDrainWakeTests
{
    [Fact]
    public void A_tenant_with_three_pages_parked_gets_its_next_load_requested_while_its_queue_still_holds_events()
    {
        var rig = new EngineRig(queueDepth: 10, parkBatch: 4, parked: ("a", 11)); // offsets 0..11: three pages of 4
        rig.Core.IntakeReachedEnd(EngineRig.P, 100);

        var first = Assert.Single(rig.Core.StartDrains()).Request;
        Assert.True(rig.Load(first, rows: 4, 0, 1, 2, 3));
        Assert.True(rig.Core.TakeDrainDue()); // a full page came back and another fits: load on without waiting
        var second = Assert.Single(rig.Core.StartDrains()).Request;
        Assert.Equal((3L, 4), (second.After, second.Limit));
        Assert.True(rig.Load(second, rows: 4, 4, 5, 6, 7));
        Assert.False(rig.Core.TakeDrainDue()); // 8 queued: no room for a page, more than half full
        Assert.Empty(rig.Core.StartDrains());

        Assert.Equal(0, rig.RunOne());
        Assert.False(rig.Core.TakeDrainDue()); // 7 queued: room for 3
        Assert.Empty(rig.Core.StartDrains());
        Assert.Equal(1, rig.RunOne());
        Assert.True(rig.Core.TakeDrainDue()); // 6 queued: a whole page fits, so the drainer is woken now

        var third = Assert.Single(rig.Core.StartDrains()).Request;
        Assert.Equal(6, rig.Queued("a")); // requested long before the queue runs out
        Assert.Equal((7L, 4), (third.After, third.Limit));
        Assert.False(rig.Core.TakeDrainDue()); // being loaded: no second wake-up for it
        Assert.True(rig.Load(third, rows: 4, 8, 9, 10, 11));
        Assert.Equal(10, rig.Queued("a"));

        // Every parked event runs once, in offset order; the last look finds the park empty.
        var ran = new List<long>();
        while (rig.Queued("a") > 0)
        {
            ran.Add(rig.RunOne());
            foreach (var (request, _) in rig.Core.StartDrains()) Assert.True(rig.Load(request, rows: 0));
        }
        Assert.Equal(Enumerable.Range(2, 10).Select(o => (long)o), ran);
        Assert.Equal(0, rig.Core.Snapshot(10).ParkedTenants);
        Assert.Null(rig.Admit("a", 100)); // nothing parked any more: queued in memory
    }

    [Fact]
    public void Finishing_events_of_a_tenant_with_nothing_parked_or_held_never_wakes_the_drainer()
    {
        var rig = new EngineRig(queueDepth: 10, parkBatch: 4, parked: ("a", 3));
        rig.Core.IntakeReachedEnd(EngineRig.P, 4);
        var request = Assert.Single(rig.Core.StartDrains()).Request;
        Assert.True(rig.Load(request, rows: 4, 0, 1, 2, 3));
        rig.Hold("a"); // its loaded events go back to the park; it may not load while held

        for (long offset = 4; offset < 7; offset++) Assert.Null(rig.Admit("b", offset));
        for (var i = 0; i < 3; i++)
        {
            rig.RunOne();
            Assert.False(rig.Core.TakeDrainDue());
        }
        Assert.Empty(rig.Core.StartDrains());
    }
}
