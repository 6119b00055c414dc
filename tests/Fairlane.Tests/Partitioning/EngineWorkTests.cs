namespace Fairlane.Tests.Partitioning;

/// <summary>How running events end: finished, retried after a delay, isolated after a failed batch, abandoned on hand-over.</summary>
public sealed class EngineWorkTests
{
    private static readonly TimeSpan Cost = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void A_retried_event_does_not_run_again_before_its_delay_and_holds_its_tenant_back()
    {
        var rig = new EngineRig();
        Assert.Null(rig.Admit("a", 0));
        var item = Assert.Single(rig.Take());
        rig.Core.Retry(item, Cost, TimeSpan.FromSeconds(5));
        Assert.Null(rig.Admit("a", 1)); // queues behind the retry: strict order

        Assert.Empty(rig.Take());
        Assert.Equal(TimeSpan.FromSeconds(5), rig.Core.NextReadyIn());
        rig.Clock.Advance(TimeSpan.FromMilliseconds(4_999));
        Assert.Empty(rig.Take());

        rig.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var again = Assert.Single(rig.Take(maxBatch: 5)); // a retried event runs alone
        Assert.Same(item, again);
        Assert.Equal(1, again.Attempts);
    }

    [Fact]
    public void Isolate_puts_a_failed_batch_back_in_order_each_event_to_run_alone()
    {
        var rig = new EngineRig();
        foreach (var offset in new long[] { 0, 1, 2 }) Assert.Null(rig.Admit("a", offset));
        var batch = rig.Take(maxBatch: 3);
        Assert.Equal([0L, 1L, 2L], batch.Select(i => i.Payload.Offset));

        rig.Core.Isolate(batch, TimeSpan.FromMilliseconds(3));

        foreach (var expected in new long[] { 0, 1, 2 })
        {
            var alone = Assert.Single(rig.Take(maxBatch: 3));
            Assert.Equal(expected, alone.Payload.Offset);
            Assert.Equal(0, alone.Attempts); // not the culprit yet: no attempt counted
            rig.Core.Finish(alone, Cost);
        }
        Assert.Equal([(EngineRig.P, 3L)], rig.Commits());
    }

    [Fact]
    public void A_hand_over_drops_queued_events_and_abandons_a_retry_instead_of_queueing_it()
    {
        var rig = new EngineRig();
        foreach (var offset in new long[] { 0, 1, 2 }) Assert.Null(rig.Admit("a", offset));
        var running = Assert.Single(rig.Take());

        rig.Core.BeginHandOver(EngineRig.JustP);
        Assert.Equal(0, rig.Queued("a"));
        Assert.True(rig.Core.AnyBusy(EngineRig.JustP));

        rig.Core.Retry(running, Cost, TimeSpan.Zero);
        Assert.Equal(0, rig.Queued("a"));
        Assert.False(rig.Core.AnyBusy(EngineRig.JustP));
        Assert.Empty(rig.Take());
        Assert.Equal([(EngineRig.P, 0L)], rig.Core.HandOverCommits(EngineRig.JustP)); // the next owner gets all three
    }

    [Fact]
    public void An_event_finishing_during_a_hand_over_still_completes_its_offset_but_not_after_release()
    {
        var rig = new EngineRig();
        foreach (var offset in new long[] { 0, 1 }) Assert.Null(rig.Admit("a", offset));
        var first = Assert.Single(rig.Take());

        rig.Core.BeginHandOver(EngineRig.JustP);
        rig.Core.Finish(first, Cost);
        Assert.Equal([(EngineRig.P, 1L)], rig.Core.HandOverCommits(EngineRig.JustP));

        rig.Core.Release(EngineRig.JustP);
        Assert.Null(rig.Core.Current(EngineRig.P));
        Assert.Empty(rig.Commits());
    }
}
