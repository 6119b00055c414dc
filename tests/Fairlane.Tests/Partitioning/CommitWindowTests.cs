using Fairlane.Partitioning.Offsets;

namespace Fairlane.Tests.Partitioning;

/// <summary>What the offset ledger reports for the uncommitted window, commit age and held bytes.</summary>
public sealed class CommitWindowTests
{
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(100);

    [Fact]
    public void Uncommitted_counts_completed_offsets_stuck_behind_an_incomplete_one()
    {
        var ledger = new OffsetLedger();
        Assert.Equal(0, ledger.Uncommitted);
        for (long o = 10; o <= 15; o++) ledger.Track(o, 0, T0);
        for (long o = 11; o <= 15; o++) ledger.Complete(o);

        // One record is incomplete, but a crash now re-delivers all six (10..15): the commit cannot pass 10.
        Assert.Equal(6, ledger.Uncommitted);
        ledger.Complete(10);
        Assert.Equal(0, ledger.Uncommitted);
    }

    [Fact]
    public void Uncommitted_spans_offset_gaps()
    {
        var ledger = new OffsetLedger();
        ledger.Track(10, 0, T0);
        ledger.Track(20, 0, T0); // 11..19 were compacted away or were transaction markers
        ledger.Complete(20);
        Assert.Equal(11, ledger.Uncommitted);
    }

    [Fact]
    public void Commit_age_grows_while_a_stuck_record_holds_the_commit_however_busy_the_partition_is()
    {
        var ledger = new OffsetLedger();
        ledger.Track(0, 0, T0);
        for (long o = 1; o <= 50; o++)
        {
            var now = T0 + TimeSpan.FromSeconds(o);
            ledger.Track(o, 0, now);
            ledger.Complete(o);
            ledger.Committed(ledger.Committable!.Value, now); // every tick commits 0 again: no move
        }
        Assert.Equal(TimeSpan.FromSeconds(60), ledger.CommitAge(T0 + TimeSpan.FromSeconds(60)));

        ledger.Complete(0);
        ledger.Committed(ledger.Committable!.Value, T0 + TimeSpan.FromSeconds(61));
        Assert.Equal(TimeSpan.Zero, ledger.CommitAge(T0 + TimeSpan.FromSeconds(70))); // nothing waits
    }

    [Fact]
    public void Commit_age_of_an_idle_partition_starts_when_a_record_arrives_not_at_the_last_commit()
    {
        var ledger = new OffsetLedger();
        ledger.Track(0, 0, T0);
        ledger.Complete(0);
        ledger.Committed(1, T0);
        Assert.Equal(TimeSpan.Zero, ledger.CommitAge(T0 + TimeSpan.FromHours(1)));

        ledger.Track(1, 0, T0 + TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromSeconds(5), ledger.CommitAge(T0 + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Commit_age_restarts_when_the_committed_offset_moves_with_records_still_waiting()
    {
        var ledger = new OffsetLedger();
        for (long o = 0; o < 3; o++) ledger.Track(o, 0, T0);
        ledger.Complete(0);
        ledger.Committed(1, T0 + TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(10), ledger.CommitAge(T0 + TimeSpan.FromSeconds(40)));
    }

    [Fact]
    public void Completed_records_are_waiting_until_their_offset_is_committed()
    {
        var ledger = new OffsetLedger();
        ledger.Track(0, 0, T0);
        ledger.Complete(0);
        Assert.Equal(TimeSpan.FromSeconds(2), ledger.CommitAge(T0 + TimeSpan.FromSeconds(2)));
        ledger.Committed(1, T0 + TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.Zero, ledger.CommitAge(T0 + TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Pending_bytes_follow_completions_revokes_and_ignore_stale_completions()
    {
        var ledgers = new PartitionLedgers();
        var p0 = new PartitionKey("t", 0);
        var p1 = new PartitionKey("t", 1);
        var a0 = ledgers.Assign(p0);
        var a1 = ledgers.Assign(p1);
        ledgers.Track(a0, 0, 1_000, T0);
        ledgers.Track(a0, 1, 2_000, T0);
        ledgers.Track(a1, 0, 4_000, T0);
        Assert.Equal(7_000, ledgers.PendingBytes);

        Assert.True(ledgers.Complete(a0, 1));
        Assert.False(ledgers.Complete(a0, 1)); // twice: counted once
        Assert.Equal(5_000, ledgers.PendingBytes);

        ledgers.Revoke(p1);
        Assert.Equal(1_000, ledgers.PendingBytes);
        var again = ledgers.Assign(p1);
        ledgers.Track(again, 0, 8_000, T0);
        Assert.False(ledgers.Complete(a1, 0)); // the old assignment's completion changes nothing
        Assert.Equal(9_000, ledgers.PendingBytes);
    }
}
