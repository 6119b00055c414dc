using Fairlane.Partitioning.Backpressure;

namespace Fairlane.Tests.Partitioning;

/// <summary>What the consume thread reads back from the engine core: backpressure, commit age, snapshot totals.</summary>
public sealed class EngineIntakeStateTests
{
    [Fact]
    public void Consumption_pauses_at_the_high_event_count_including_events_in_transit_and_resumes_at_the_low()
    {
        var rig = new EngineRig(high: 3, low: 1);
        Assert.Null(rig.Admit("a", 0));
        Assert.Null(rig.Admit("a", 1));
        Assert.Null(rig.Core.CheckBackpressure());
        rig.Consume("a", 2);
        rig.Core.BeginInTransit(EngineRig.P);

        Assert.Equal(BackpressureChange.Pause, rig.Core.CheckBackpressure());
        Assert.True(rig.Core.ConsumptionPaused);
        rig.RunOne();
        Assert.Null(rig.Core.CheckBackpressure()); // 2 buffered: above the low watermark
        rig.RunOne();
        Assert.Equal(BackpressureChange.Resume, rig.Core.CheckBackpressure());
        Assert.False(rig.Core.ConsumptionPaused);
    }

    [Fact]
    public void Consumption_pauses_at_the_high_byte_count_and_resumes_at_half_of_it()
    {
        var rig = new EngineRig(high: 100, low: 50, highBytes: 1_000);
        Assert.Null(rig.Admit("a", 0, bytes: 600));
        Assert.Null(rig.Core.CheckBackpressure());
        Assert.Null(rig.Admit("a", 1, bytes: 400));

        Assert.Equal(BackpressureChange.Pause, rig.Core.CheckBackpressure());
        rig.RunOne(); // 400 bytes left, at most 500
        Assert.Equal(BackpressureChange.Resume, rig.Core.CheckBackpressure());
    }

    [Fact]
    public void Commit_age_grows_while_records_wait_and_restarts_when_a_commit_moves_the_offset()
    {
        var rig = new EngineRig();
        Assert.Null(rig.Admit("a", 0));
        rig.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal((1L, TimeSpan.FromSeconds(30)), rig.Core.CommitState(EngineRig.P));

        rig.RunOne();
        rig.Core.Committed(rig.Commits());
        Assert.Equal((0L, TimeSpan.Zero), rig.Core.CommitState(EngineRig.P)); // nothing waits

        rig.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(rig.Admit("a", 1));
        rig.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal((1L, TimeSpan.FromSeconds(5)), rig.Core.CommitState(EngineRig.P)); // since offset 1 arrived
    }

    [Fact]
    public void A_failed_commit_is_offered_again()
    {
        var rig = new EngineRig();
        Assert.Null(rig.Admit("a", 0));
        rig.RunOne();
        Assert.Equal([(EngineRig.P, 1L)], rig.Commits());
        Assert.Empty(rig.Commits());
        rig.Core.CommitFailed(EngineRig.P);
        Assert.Equal([(EngineRig.P, 1L)], rig.Commits());
    }

    [Fact]
    public void The_snapshot_counts_queued_running_in_transit_active_and_parked_tenants_and_ranks_the_deepest()
    {
        var rig = new EngineRig();
        rig.Hold("d");
        foreach (var offset in new long[] { 0, 1, 2 }) Assert.Null(rig.Admit("a", offset));
        Assert.Null(rig.Admit("b", 3));
        Assert.Null(rig.Admit("b", 4));
        Assert.Null(rig.Admit("c", 5));
        Assert.Single(rig.Take());
        Assert.NotNull(rig.Admit("d", 6)); // held: in transit to the park
        rig.Consume("e", 7);
        rig.Core.BeginInTransit(EngineRig.P); // dead-lettered

        var s = rig.Core.Snapshot(topTenants: 2);

        Assert.Equal((5, 1, 2, 3, 1), (s.Queued, s.InFlight, s.InTransit, s.ActiveTenants, s.ParkedTenants));
        Assert.Equal(["a", "b"], s.TopTenants.Select(t => t.Tenant));
        Assert.Equal(3, s.TopTenants[0].Queued + s.TopTenants[0].InFlight);
        Assert.Equal(8, rig.Core.Buffered);
    }
}
