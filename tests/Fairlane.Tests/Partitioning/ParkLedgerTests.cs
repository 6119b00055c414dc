using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;

namespace Fairlane.Tests.Partitioning;

public sealed class ParkLedgerTests
{
    private static readonly PartitionKey P = new("t", 0);

    [Fact]
    public void A_new_partition_parks_everything_until_its_park_was_read()
    {
        var ledger = new ParkLedger();
        ledger.PartitionAssigned(P);
        Assert.True(ledger.MustPark(P, "a"));

        ledger.PartitionRead(P, ["b"]);
        Assert.False(ledger.MustPark(P, "a"));
        Assert.True(ledger.MustPark(P, "b")); // b has older parked rows: its new events queue behind them
    }

    [Fact]
    public void A_tenant_keeps_parking_until_a_short_drain_finds_its_park_empty()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, []);
        ledger.WriteStarted(P, "a");
        ledger.WriteCommitted(P, "a");
        Assert.True(ledger.MustPark(P, "a"));

        var full = Assert.Single(ledger.StartDrains(_ => 2));
        ledger.Loaded(full, rows: 2, throughOffset: 11); // a full batch: there may be more
        Assert.True(ledger.MustPark(P, "a"));

        var next = Assert.Single(ledger.StartDrains(_ => 2));
        Assert.Equal(11, next.After);
        ledger.Loaded(next, rows: 1, throughOffset: 12); // short: the park is empty
        Assert.False(ledger.MustPark(P, "a"));
    }

    [Fact]
    public void A_write_that_commits_during_a_drain_query_keeps_the_tenant_parking()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, ["a"]);
        var drain = Assert.Single(ledger.StartDrains(_ => 10));

        // Meanwhile another event is parked and its write commits before the query's answer is applied:
        // the query may not have seen it, so the park cannot be declared empty.
        ledger.WriteStarted(P, "a");
        ledger.WriteCommitted(P, "a");
        ledger.Loaded(drain, rows: 0, throughOffset: -1);

        Assert.True(ledger.MustPark(P, "a"));
        Assert.Single(ledger.StartDrains(_ => 10));
    }

    [Fact]
    public void A_pending_write_keeps_the_tenant_parking_even_after_a_short_drain()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, []);
        ledger.WriteStarted(P, "a");
        var drain = Assert.Single(ledger.StartDrains(_ => 10));
        ledger.Loaded(drain, rows: 0, throughOffset: -1);
        Assert.True(ledger.MustPark(P, "a"));
    }

    [Fact]
    public void Loaded_rows_are_remembered_until_they_finish_so_they_are_never_loaded_twice()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, ["a"]);
        var drain = Assert.Single(ledger.StartDrains(_ => 10));
        ledger.Loaded(drain, rows: 3, throughOffset: 30);
        Assert.False(ledger.MustPark(P, "a"));

        // The tenant parks again before the loaded three finished: the next drain starts after them.
        ledger.WriteStarted(P, "a");
        ledger.WriteCommitted(P, "a");
        Assert.Equal(30, Assert.Single(ledger.StartDrains(_ => 10)).After);
    }

    [Fact]
    public void No_drain_without_room_and_none_twice_at_once_and_nothing_after_forget()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, ["a"]);
        Assert.Empty(ledger.StartDrains(_ => 0));
        Assert.Single(ledger.StartDrains(_ => 5));
        Assert.Empty(ledger.StartDrains(_ => 5)); // already draining

        ledger.Forget(P);
        Assert.False(ledger.MustPark(P, "a"));
        Assert.Empty(ledger.StartDrains(_ => 5));
    }

    [Fact]
    public void Putting_loaded_events_back_reloads_them_and_voids_a_load_under_way()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, ["a"]);
        var first = Assert.Single(ledger.StartDrains(_ => 10));
        Assert.True(ledger.Loaded(first, rows: 10, throughOffset: 19)); // offsets 10..19 in memory
        var second = Assert.Single(ledger.StartDrains(_ => 10));

        ledger.Unloaded(P, "a", count: 6, fromOffset: 14); // paused: 14..19 leave memory unfinished

        Assert.False(ledger.Loaded(second, rows: 10, throughOffset: 29)); // read past them: dropped
        Assert.True(ledger.MustPark(P, "a"));
        var again = Assert.Single(ledger.StartDrains(_ => 10));
        Assert.Equal(13, again.After);
    }

    [Fact]
    public void Holding_a_tenant_voids_its_loads_under_way()
    {
        var ledger = new ParkLedger();
        ledger.PartitionRead(P, ["a"]);
        var load = Assert.Single(ledger.StartDrains(_ => 10));

        ledger.VoidLoads("a");

        Assert.False(ledger.Loaded(load, rows: 10, throughOffset: 9));
        Assert.Equal(-1, Assert.Single(ledger.StartDrains(_ => 10)).After); // the same rows are loaded again later
    }
}
