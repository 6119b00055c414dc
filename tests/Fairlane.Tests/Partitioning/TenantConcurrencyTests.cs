using Fairlane.Partitioning.Engine;
using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Tests.Partitioning;

/// <summary>A tenant's automatic concurrency, and what its ordering does to the schedule.</summary>
public sealed class TenantConcurrencyTests
{
    [Theory]
    [InlineData(8, 1, 4)]
    [InlineData(8, 2, 8)]
    [InlineData(8, 5, 8)]
    [InlineData(7, 1, 4)] // ceil(7 / 2)
    [InlineData(7, 2, 7)]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(3, 1, 2)]
    [InlineData(16, 3, 16)]
    [InlineData(1_024, 1_000, 1_024)] // no overflow at the largest settings
    public void Automatic_concurrency_is_half_the_workers_per_unit_of_weight_capped_at_all_of_them(int workers, int weight, int expected)
    {
        Assert.Equal(expected, TenantSettings.AutoConcurrency(workers, weight));
    }

    [Fact]
    public void The_engine_applies_automatic_explicit_and_tenant_ordered_concurrency()
    {
        var rig = new EngineRig(); // 8 workers
        rig.Core.ApplyTenants([
            new TenantSettings("auto", false, 1, null, null, null),
            new TenantSettings("heavy", false, 3, null, null, null),
            new TenantSettings("set", false, 1, 6, null, null),
            new TenantSettings("strict", false, 1, 6, null, null, OrderingScope.Tenant),
        ]);

        Assert.Equal(4, rig.Core.TenantState("auto").Limits.MaxInFlight);
        Assert.Equal(8, rig.Core.TenantState("heavy").Limits.MaxInFlight);
        Assert.Equal(6, rig.Core.TenantState("set").Limits.MaxInFlight);
        Assert.Equal(1, rig.Core.TenantState("strict").Limits.MaxInFlight);
        Assert.Equal(OrderingScope.Tenant, rig.Core.TenantState("strict").Limits.Ordering);
    }

    [Fact]
    public void An_automatic_tenant_runs_different_items_at_once_but_one_event_of_an_item_at_a_time()
    {
        var rig = new EngineRig();
        rig.Core.ApplyTenants([new TenantSettings("a", false, 1, null, null, null)]);
        string[] keys = ["p1", "p2", "p1", "p3", "p4", "p5", "p6"];
        for (var i = 0; i < keys.Length; i++) Assert.Null(rig.Core.Admit(rig.Consume("a", i), keys[i]));

        var started = new List<long>();
        while (rig.Take() is [var item]) started.Add(item.Payload.Offset);

        // Four at once (8 workers, weight 1); the second p1 waits behind the first.
        Assert.Equal([0, 1, 3, 4], started);
    }

    [Fact]
    public void A_tenant_ordered_tenant_runs_events_of_different_items_one_after_another_in_order()
    {
        var s = new FairScheduler<int>();
        s.SetLimits("a", new TenantLimits(Concurrency: 8, Ordering: OrderingScope.Tenant));
        for (var i = 0; i < 3; i++) s.Enqueue(new WorkItem<int>("a", $"item{i}", i));

        Assert.True(s.TryDequeue(TimeSpan.Zero, out var first));
        Assert.False(s.TryDequeue(TimeSpan.Zero, out _)); // another item, but the tenant's one key is held
        s.Retry(first, TimeSpan.FromMilliseconds(1), notBefore: TimeSpan.FromSeconds(1));
        Assert.False(s.TryDequeue(TimeSpan.Zero, out _)); // nothing overtakes the retried head
        Assert.True(s.TryDequeue(TimeSpan.FromSeconds(1), out var again));
        Assert.Equal(0, again.Payload);
    }

    [Fact]
    public void Switching_to_item_order_does_not_let_an_event_overtake_one_running_under_tenant_order()
    {
        var s = new FairScheduler<int>();
        s.SetLimits("a", new TenantLimits(Concurrency: 8, Ordering: OrderingScope.Tenant));
        s.Enqueue(new WorkItem<int>("a", "p1", 0));
        s.Enqueue(new WorkItem<int>("a", "p1", 1));
        s.Enqueue(new WorkItem<int>("a", "p2", 2));
        Assert.True(s.TryDequeue(TimeSpan.Zero, out var running));

        s.SetLimits("a", new TenantLimits(Concurrency: 8));

        Assert.True(s.TryDequeue(TimeSpan.Zero, out var other));
        Assert.Equal(2, other.Payload); // p2 may start; p1's next event waits for the one still running
        Assert.False(s.TryDequeue(TimeSpan.Zero, out _));
        s.Complete(running, TimeSpan.FromMilliseconds(1));
        Assert.True(s.TryDequeue(TimeSpan.Zero, out var next));
        Assert.Equal(1, next.Payload);
    }
}
