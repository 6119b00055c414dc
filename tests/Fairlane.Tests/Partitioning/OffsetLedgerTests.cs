using Fairlane.Partitioning.Offsets;
using FsCheck.Xunit;

namespace Fairlane.Tests.Partitioning;

public sealed class OffsetLedgerTests
{
    [Fact]
    public void Committable_is_the_lowest_incomplete_offset()
    {
        var ledger = new OffsetLedger();
        Assert.Null(ledger.Committable);
        foreach (var o in new long[] { 10, 11, 12, 15 }) ledger.Track(o, 0, TimeSpan.Zero);

        Assert.Equal(10, ledger.Committable);
        ledger.Complete(11);
        ledger.Complete(15);
        Assert.Equal(10, ledger.Committable);
        ledger.Complete(10);
        Assert.Equal(12, ledger.Committable);
        ledger.Complete(12);
        Assert.Equal(16, ledger.Committable); // all done: the offset after the highest seen
    }

    [Fact]
    public void Double_completion_is_reported()
    {
        var ledger = new OffsetLedger();
        Assert.True(ledger.Track(5, 0, TimeSpan.Zero));
        Assert.True(ledger.Complete(5));
        Assert.False(ledger.Complete(5));
        Assert.False(ledger.Complete(99));
    }

    // Regression: an offset reset sent the position back and Track threw inside the consume loop, which
    // killed the loop and left the partition unread. Now the rewound offset is refused, the ledger unchanged.
    [Fact]
    public void An_offset_that_goes_backwards_is_refused_and_leaves_the_ledger_as_it_was()
    {
        var ledgers = new PartitionLedgers();
        var p = new PartitionKey("t", 0);
        var a = ledgers.Assign(p);
        foreach (var o in new long[] { 10, 11, 12 }) Assert.Equal(OffsetTrack.Tracked, ledgers.Track(a, o, 0, TimeSpan.Zero));
        Assert.True(ledgers.Complete(a, 10));

        Assert.Equal(OffsetTrack.AlreadySeen, ledgers.Track(a, 10, 0, TimeSpan.Zero)); // complete
        Assert.Equal(OffsetTrack.AlreadySeen, ledgers.Track(a, 11, 0, TimeSpan.Zero)); // still in flight
        Assert.Equal(OffsetTrack.AlreadySeen, ledgers.Track(a, 3, 0, TimeSpan.Zero));  // below where this assignment started
        Assert.Equal(11, ledgers.Committable(p));
        Assert.Equal(2, ledgers.Uncommitted(p)); // 11 and 12: nothing new was added

        Assert.Equal(OffsetTrack.Tracked, ledgers.Track(a, 13, 0, TimeSpan.Zero)); // and the partition keeps flowing
        Assert.True(ledgers.Complete(a, 11));
        Assert.True(ledgers.Complete(a, 12));
        Assert.True(ledgers.Complete(a, 13));
        Assert.Equal(14, ledgers.Committable(p));
    }

    [Fact]
    public void A_completion_from_an_older_assignment_is_ignored()
    {
        var ledgers = new PartitionLedgers();
        var p = new PartitionKey("t", 0);
        var first = ledgers.Assign(p);
        ledgers.Track(first, 0, 0, TimeSpan.Zero);
        ledgers.Revoke(p);
        var second = ledgers.Assign(p);
        ledgers.Track(second, 0, 0, TimeSpan.Zero);

        Assert.False(ledgers.Complete(first, 0));
        Assert.Equal(0, ledgers.Committable(p));
        Assert.True(ledgers.Complete(second, 0));
        Assert.Equal(1, ledgers.Committable(p));
    }

    /// <summary>
    /// Random consumption, completions in random order, and random revoke/assign: no commit ever
    /// passes an offset of the current assignment that is not complete.
    /// </summary>
    [Property(MaxTest = 200)]
    public bool Never_commits_past_an_incomplete_offset(int seed)
    {
        var random = new Random(seed);
        var ledgers = new PartitionLedgers();
        var partitions = Enumerable.Range(0, 3).Select(i => new PartitionKey("t", i)).ToArray();
        var next = new long[partitions.Length];
        var assignments = new Dictionary<PartitionKey, Assignment>();
        var inFlight = new List<(Assignment Assignment, long Offset)>();
        var completed = new HashSet<(long Epoch, long Offset)>();
        var tracked = new Dictionary<long, List<long>>(); // epoch -> offsets

        for (var step = 0; step < 2_000; step++)
        {
            var p = random.Next(partitions.Length);
            var partition = partitions[p];
            switch (random.Next(10))
            {
                case 0: // rebalance: revoke (maybe) then assign again, resuming from the committed offset
                    if (assignments.Remove(partition)) ledgers.Revoke(partition);
                    if (random.Next(2) == 0)
                    {
                        var a = ledgers.Assign(partition);
                        assignments[partition] = a;
                        tracked[a.Epoch] = [];
                    }
                    break;
                case < 5: // consume
                    if (!assignments.TryGetValue(partition, out var current)) break;
                    next[p] += 1 + random.Next(3); // gaps happen (compaction, transaction markers)
                    ledgers.Track(current, next[p], 0, TimeSpan.Zero);
                    tracked[current.Epoch].Add(next[p]);
                    inFlight.Add((current, next[p]));
                    break;
                default: // complete something, in any order, possibly from an old epoch
                    if (inFlight.Count == 0) break;
                    var i = random.Next(inFlight.Count);
                    var done = inFlight[i];
                    inFlight.RemoveAt(i);
                    ledgers.Complete(done.Assignment, done.Offset);
                    completed.Add((done.Assignment.Epoch, done.Offset));
                    break;
            }

            foreach (var (committed, offset) in ledgers.TakeCommitChanges())
            {
                var epoch = assignments[committed].Epoch;
                if (tracked[epoch].Any(o => o < offset && !completed.Contains((epoch, o)))) return false;
            }
        }
        return true;
    }
}
