using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;

namespace Fairlane.Tests.Partitioning;

public sealed class ParkLedgerTests
{
    private static readonly PartitionKey P = new("t", 0);

    // Intake has passed every row: only the park's own rules bound a load.
    private static long PastEverything(PartitionKey _) => long.MaxValue;

    [Fact]
    public void A_new_partition_parks_everything_until_its_park_was_read()
    {
        var ledger = new ParkLedger();
        ledger.PartitionAssigned(P);
        Assert.True(ledger.MustPark(P, "a"));

        ledger.PartitionRead(P, [("b", 5)]);
        Assert.False(ledger.MustPark(P, "a"));
        Assert.True(ledger.MustPark(P, "b")); // b has older parked rows: its new events queue behind them
    }

    [Fact]
    public void A_tenant_keeps_parking_until_a_short_drain_finds_its_park_empty()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, []);
        ledger.WriteStarted(P, "a", 10);
        ledger.WriteCommitted(P, "a", 10);
        Assert.True(ledger.MustPark(P, "a"));

        var full = Assert.Single(ledger.StartDrains(_ => 2, PastEverything));
        ledger.Loaded(full, rows: 2, throughOffset: 11); // a full batch: there may be more
        Assert.True(ledger.MustPark(P, "a"));

        var next = Assert.Single(ledger.StartDrains(_ => 2, PastEverything));
        Assert.Equal(11, next.After);
        ledger.Loaded(next, rows: 1, throughOffset: 12); // short: the park is empty
        Assert.False(ledger.MustPark(P, "a"));
    }

    [Fact]
    public void A_write_that_commits_during_a_drain_query_keeps_the_tenant_parking()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, [("a", 9)]);
        var drain = Assert.Single(ledger.StartDrains(_ => 10, PastEverything));

        // Meanwhile another event is parked and its write commits before the query's answer is applied:
        // the query may not have seen it, so the park cannot be declared empty.
        ledger.WriteStarted(P, "a", 10);
        ledger.WriteCommitted(P, "a", 10);
        ledger.Loaded(drain, rows: 0, throughOffset: -1);

        Assert.True(ledger.MustPark(P, "a"));
        Assert.Single(ledger.StartDrains(_ => 10, PastEverything));
    }

    [Fact]
    public void A_pending_write_keeps_the_tenant_parking_even_after_a_short_drain()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, []);
        ledger.WriteStarted(P, "a", 10);
        var drain = Assert.Single(ledger.StartDrains(_ => 10, PastEverything));
        ledger.Loaded(drain, rows: 0, throughOffset: -1);
        Assert.True(ledger.MustPark(P, "a"));
    }

    [Fact]
    public void Loaded_rows_are_remembered_until_they_finish_so_they_are_never_loaded_twice()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, [("a", 9)]);
        var drain = Assert.Single(ledger.StartDrains(_ => 10, PastEverything));
        ledger.Loaded(drain, rows: 3, throughOffset: 30);
        Assert.False(ledger.MustPark(P, "a"));

        // The tenant parks again before the loaded three finished: the next drain starts after them.
        ledger.WriteStarted(P, "a", 40);
        ledger.WriteCommitted(P, "a", 40);
        Assert.Equal(30, Assert.Single(ledger.StartDrains(_ => 10, PastEverything)).After);
    }

    [Fact]
    public void No_drain_without_room_and_none_twice_at_once_and_nothing_after_forget()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, [("a", 9)]);
        Assert.Empty(ledger.StartDrains(_ => 0, PastEverything));
        Assert.Single(ledger.StartDrains(_ => 5, PastEverything));
        Assert.Empty(ledger.StartDrains(_ => 5, PastEverything)); // already draining

        ledger.Forget(P);
        Assert.False(ledger.MustPark(P, "a"));
        Assert.Empty(ledger.StartDrains(_ => 5, PastEverything));
    }

    [Fact]
    public void Putting_loaded_events_back_reloads_them_and_voids_a_load_under_way()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, [("a", 9)]);
        var first = Assert.Single(ledger.StartDrains(_ => 10, PastEverything));
        Assert.True(ledger.Loaded(first, rows: 10, throughOffset: 19)); // offsets 10..19 in memory
        var second = Assert.Single(ledger.StartDrains(_ => 10, PastEverything));

        ledger.Unloaded(P, "a", count: 6, fromOffset: 14); // paused: 14..19 leave memory unfinished

        Assert.False(ledger.Loaded(second, rows: 10, throughOffset: 29)); // read past them: dropped
        Assert.True(ledger.MustPark(P, "a"));
        var again = Assert.Single(ledger.StartDrains(_ => 10, PastEverything));
        Assert.Equal(13, again.After);
    }

    [Fact]
    public void Holding_a_tenant_voids_its_loads_under_way()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, [("a", 9)]);
        var load = Assert.Single(ledger.StartDrains(_ => 10, PastEverything));

        ledger.VoidLoads("a");

        Assert.False(ledger.Loaded(load, rows: 10, throughOffset: 9));
        Assert.Equal(-1, Assert.Single(ledger.StartDrains(_ => 10, PastEverything)).After); // the same rows are loaded again later
    }

    [Fact]
    public void A_write_below_what_was_loaded_moves_the_load_position_back_and_voids_loads_under_way()
    {
        // Regression: a pause spilled in-memory events after the position had passed them; their rows were
        // never loaded again while the partition stayed here, and ran out of order after it moved.
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, [("a", 19)]);
        Assert.True(ledger.Loaded(Assert.Single(ledger.StartDrains(_ => 10, PastEverything)), rows: 10, throughOffset: 19));
        var underWay = Assert.Single(ledger.StartDrains(_ => 10, PastEverything));

        Assert.True(ledger.WriteStarted(P, "a", 5)); // the caller puts back loaded events above 5
        Assert.False(ledger.WriteStarted(P, "a", 25)); // above the position: nothing to put back

        Assert.False(ledger.Loaded(underWay, rows: 10, throughOffset: 29));
        ledger.WriteCommitted(P, "a", 5);
        var again = Assert.Single(ledger.StartDrains(_ => 10, PastEverything));
        Assert.Equal(4, again.After);
        Assert.Equal(25, again.Before); // not past the write still pending
    }

    [Fact]
    public void Rows_an_earlier_owner_parked_wait_until_intake_has_passed_them()
    {
        // Regression: a new owner loaded the rows 1000..1499 its predecessor parked, then parked the
        // re-delivered 500..999 behind its load position, where nothing loaded them again.
        var ledger = new ParkLedger();
        ledger.PartitionAssigned(P);
        ledger.PartitionRead(P, [("a", 1499)]);
        var intake = 500L;

        var early = Assert.Single(ledger.StartDrains(_ => 100, _ => intake));
        Assert.Equal(500, early.Before);
        ledger.Loaded(early, rows: 0, throughOffset: -1);
        Assert.True(ledger.MustPark(P, "a")); // rows up to 1499 are still there

        ledger.WriteStarted(P, "a", 500); // re-delivered, parked behind the earlier owner's rows
        ledger.WriteCommitted(P, "a", 500);
        intake = 501;
        var next = Assert.Single(ledger.StartDrains(_ => 100, _ => intake));
        Assert.Equal((-1L, 501L), (next.After, next.Before));
        ledger.Loaded(next, rows: 1, throughOffset: 500);

        intake = 1500;
        var rest = Assert.Single(ledger.StartDrains(_ => 100, _ => intake));
        Assert.Equal((500L, 1500L), (rest.After, rest.Before));
        ledger.Loaded(rest, rows: 99, throughOffset: 1499); // short, and intake is past every inherited row
        Assert.False(ledger.MustPark(P, "a"));
    }

    [Fact]
    public void Nothing_is_loaded_until_intake_or_the_oldest_pending_write_leaves_room()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, [("a", 9)]);
        Assert.Empty(ledger.StartDrains(_ => 10, _ => 0));

        ledger.WriteStarted(P, "a", 0);
        Assert.Empty(ledger.StartDrains(_ => 10, PastEverything)); // offset 0 is still being written
        ledger.WriteCommitted(P, "a", 0);
        Assert.Equal(long.MaxValue, Assert.Single(ledger.StartDrains(_ => 10, PastEverything)).Before);
    }
}
