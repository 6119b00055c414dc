using Fairlane.Partitioning.Scheduling;
using FsCheck.Xunit;

namespace Fairlane.Tests.Partitioning;

public sealed class FairSchedulerTests
{
    private static WorkItem<int> Item(string tenant, string key, int n) => new(tenant, key, n);

    [Fact]
    public void Events_of_one_tenant_run_in_order_one_at_a_time_by_default()
    {
        var s = new FairScheduler<int>();
        for (var i = 0; i < 3; i++) s.Enqueue(Item("a", $"k{i}", i));

        Assert.True(s.TryDequeue(TimeSpan.Zero, out var first));
        Assert.Equal(0, first.Payload);
        Assert.False(s.TryDequeue(TimeSpan.Zero, out _)); // concurrency 1: the next waits
        s.Complete(first, TimeSpan.FromMilliseconds(1));
        Assert.True(s.TryDequeue(TimeSpan.Zero, out var second));
        Assert.Equal(1, second.Payload);
    }

    [Fact]
    public void A_quiet_tenant_is_served_within_one_round_of_a_noisy_backlog()
    {
        var s = new FairScheduler<int>();
        for (var i = 0; i < 10_000; i++) s.Enqueue(Item("noisy", "k", i));
        var now = TimeSpan.Zero;
        // Serve the noisy tenant for a while, then a quiet event arrives.
        for (var i = 0; i < 50; i++)
        {
            Assert.True(s.TryDequeue(now, out var n));
            now += TimeSpan.FromMilliseconds(2);
            s.Complete(n, TimeSpan.FromMilliseconds(2));
        }
        s.Enqueue(Item("quiet", "k", -1));

        var served = 0;
        while (true)
        {
            Assert.True(s.TryDequeue(now, out var item));
            now += TimeSpan.FromMilliseconds(2);
            s.Complete(item, TimeSpan.FromMilliseconds(2));
            if (item.Tenant == "quiet") break;
            served++;
        }
        // Quantum 10 ms at 2 ms per event: at most one round (5-6 events) of the noisy tenant first.
        Assert.InRange(served, 0, 6);
    }

    [Fact]
    public void Idle_tenants_leave_no_state()
    {
        var s = new FairScheduler<int>();
        s.Enqueue(Item("a", "k", 1));
        Assert.True(s.TryDequeue(TimeSpan.Zero, out var item));
        s.Complete(item, TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, s.ActiveTenants);
        Assert.Equal(0, s.TotalQueued + s.TotalInFlight);
    }

    [Fact]
    public void Rate_limit_spaces_out_starts()
    {
        var s = new FairScheduler<int>();
        s.SetLimits("a", new TenantLimits(RatePerSecond: 10, Concurrency: 10));
        for (var i = 0; i < 50; i++) s.Enqueue(Item("a", $"k{i}", i));

        var started = 0;
        var now = TimeSpan.Zero;
        while (now < TimeSpan.FromSeconds(2))
        {
            while (s.TryDequeue(now, out var item))
            {
                started++;
                s.Complete(item, TimeSpan.Zero);
            }
            now = s.NextReadyAt(now) ?? now + TimeSpan.FromMilliseconds(1);
        }
        // Burst of 10, then 10 a second: about 30 by t = 2 s.
        Assert.InRange(started, 28, 31);
    }

    [Fact]
    public void A_retry_waits_for_its_backoff_and_holds_only_its_key()
    {
        var s = new FairScheduler<int>();
        s.SetLimits("a", new TenantLimits(Concurrency: 4));
        s.Enqueue(Item("a", "k1", 1));
        s.Enqueue(Item("a", "k1", 2));
        s.Enqueue(Item("a", "k2", 3));

        Assert.True(s.TryDequeue(TimeSpan.Zero, out var first));
        s.Retry(first, TimeSpan.FromMilliseconds(1), notBefore: TimeSpan.FromSeconds(1));

        Assert.True(s.TryDequeue(TimeSpan.Zero, out var other));
        Assert.Equal(3, other.Payload); // k2 runs; k1's later event waits behind the retry
        Assert.False(s.TryDequeue(TimeSpan.Zero, out _));
        Assert.Equal(TimeSpan.FromSeconds(1), s.NextReadyAt(TimeSpan.Zero));
        Assert.True(s.TryDequeue(TimeSpan.FromSeconds(1), out var again));
        Assert.Equal(1, again.Payload);
        Assert.Equal(1, again.Attempts);
    }

    /// <summary>
    /// Backlogged tenants with random weights and per-event costs (one tenant's events costing 10×)
    /// share worker time in proportion to weight, within 2%.
    /// </summary>
    [Property(MaxTest = 30)]
    public bool Worker_time_is_shared_in_proportion_to_weight(int seed)
    {
        var random = new Random(seed);
        var tenants = random.Next(2, 7);
        var workers = random.Next(1, 4);
        var weights = Enumerable.Range(0, tenants).Select(_ => random.Next(1, 6)).ToArray();
        var costs = Enumerable.Range(0, tenants).Select(_ => TimeSpan.FromMicroseconds(random.Next(500, 3_000))).ToArray();
        costs[random.Next(tenants)] *= 10;

        var s = new FairScheduler<int>();
        for (var t = 0; t < tenants; t++) s.SetLimits($"t{t}", new TenantLimits(Weight: weights[t], Concurrency: workers));
        var busy = Simulate(s, tenants, workers, t => costs[t] * (0.5 + random.NextDouble()), TimeSpan.FromSeconds(600));

        var total = busy.Sum();
        var weightSum = weights.Sum();
        for (var t = 0; t < tenants; t++)
        {
            var expected = (double)weights[t] / weightSum;
            if (Math.Abs(busy[t] / total - expected) > 0.02 * expected) return false;
        }
        return true;
    }

    /// <summary>Random keys, concurrency, costs and retries: a key never runs twice at once, and runs in order.</summary>
    [Property(MaxTest = 100)]
    public bool One_ordering_key_never_runs_twice_at_once_and_keeps_its_order(int seed)
    {
        var random = new Random(seed);
        var s = new FairScheduler<int>();
        s.SetLimits("a", new TenantLimits(Concurrency: random.Next(1, 6)));
        s.SetLimits("b", new TenantLimits(Concurrency: random.Next(1, 6)));
        var nextSeq = new Dictionary<string, int>();
        var expectedNext = new Dictionary<string, int>();
        var running = new List<(WorkItem<int> Item, TimeSpan Until)>();
        var now = TimeSpan.Zero;
        var seq = 0;

        for (var step = 0; step < 3_000; step++)
        {
            if (random.Next(3) == 0)
            {
                var tenant = random.Next(2) == 0 ? "a" : "b";
                var key = $"{tenant}:{random.Next(4)}";
                nextSeq[key] = nextSeq.GetValueOrDefault(key) + 1;
                s.Enqueue(new WorkItem<int>(tenant, key, nextSeq[key]));
                seq++;
            }
            while (s.TryDequeue(now, out var item))
            {
                if (running.Any(r => r.Item.OrderingKey == item.OrderingKey)) return false;
                if (item.Payload != expectedNext.GetValueOrDefault(item.OrderingKey) + 1) return false;
                running.Add((item, now + TimeSpan.FromMilliseconds(random.Next(1, 5))));
            }
            now += TimeSpan.FromMilliseconds(1);
            foreach (var done in running.Where(r => r.Until <= now).ToList())
            {
                running.Remove(done);
                if (random.Next(5) == 0)
                {
                    s.Retry(done.Item, TimeSpan.FromMilliseconds(1), now + TimeSpan.FromMilliseconds(random.Next(1, 10)));
                }
                else
                {
                    expectedNext[done.Item.OrderingKey] = done.Item.Payload;
                    s.Complete(done.Item, TimeSpan.FromMilliseconds(1));
                }
            }
        }
        return seq > 0;
    }

    // Workers take events as they free up; every tenant always has more queued (backlogged).
    private static double[] Simulate(FairScheduler<int> s, int tenants, int workers, Func<int, TimeSpan> cost, TimeSpan duration)
    {
        var busy = new double[tenants];
        for (var t = 0; t < tenants; t++)
            for (var i = 0; i < 4 * workers; i++) s.Enqueue(new WorkItem<int>($"t{t}", $"k{i}", t));
        var running = new PriorityQueue<(WorkItem<int> Item, TimeSpan Cost), TimeSpan>();
        var now = TimeSpan.Zero;
        while (now < duration)
        {
            while (running.Count < workers && s.TryDequeue(now, out var item))
            {
                var c = cost(item.Payload);
                running.Enqueue((item, c), now + c);
            }
            running.TryDequeue(out var done, out var finishedAt);
            now = finishedAt;
            busy[done.Item.Payload] += done.Cost.TotalSeconds;
            s.Complete(done.Item, done.Cost);
            s.Enqueue(new WorkItem<int>(done.Item.Tenant, done.Item.OrderingKey, done.Item.Payload));
        }
        return busy;
    }
}
