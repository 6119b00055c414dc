namespace Fairlane.Partitioning.Scheduling;

/// <summary>
/// Picks the next event to run across tenants: deficit round robin where the deficit is worker
/// time, not event count. Each visit grants a backlogged tenant <c>quantum × weight</c> of credit, where
/// the quantum is at least what one event run alone costs now;
/// a dispatch charges the tenant's estimated cost and its completion replaces the estimate with the
/// measured cost. Over time every backlogged tenant gets worker time in proportion to its weight,
/// however much its events cost, and a tenant with nothing to run costs nothing (its state is
/// dropped). Within a tenant, events run in arrival order per ordering key, at most
/// <see cref="TenantLimits.MaxInFlight"/> at once, never two of one key, and no faster than its
/// rate limit; a tenant ordered by <see cref="OrderingScope.Tenant"/> has one key for all its events. Time is the caller's monotonic clock. Not thread-safe: the engine serialises access.
/// </summary>
public sealed partial class FairScheduler<T>(SchedulerOptions options)
{
    private readonly Dictionary<string, TenantState> _tenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TenantLimits> _limits = new(StringComparer.Ordinal);
    private readonly LinkedList<TenantState> _ring = new(); // tenants with queued events
    private LinkedListNode<TenantState>? _current;
    private long _loneRunTicks; // what one event run alone costs now, smoothed over tenants (see GrantOf)

    public FairScheduler() : this(new SchedulerOptions()) { }

    public int TotalQueued { get; private set; }

    /// <summary>What a round grants a weight-1 tenant now: the quantum, or what one event run alone costs if more.</summary>
    public TimeSpan RoundGrant => TimeSpan.FromTicks(RoundGrantTicks);

    private long RoundGrantTicks => Math.Max(options.Quantum.Ticks, _loneRunTicks);
    public int TotalInFlight { get; private set; }

    /// <summary>Tenants with queued or in-flight events.</summary>
    public int ActiveTenants => _tenants.Count;

    public void SetLimits(string tenant, TenantLimits limits)
    {
        if (limits == TenantLimits.Default) _limits.Remove(tenant);
        else _limits[tenant] = limits;
        if (_tenants.TryGetValue(tenant, out var state)) state.Apply(limits, TimeSpan.Zero);
    }

    public TenantLimits LimitsOf(string tenant) => _limits.GetValueOrDefault(tenant, TenantLimits.Default);

    public int Queued(string tenant) => _tenants.TryGetValue(tenant, out var s) ? s.Queue.Count : 0;

    public int InFlight(string tenant) => _tenants.TryGetValue(tenant, out var s) ? s.InFlight : 0;

    public void Enqueue(WorkItem<T> item)
    {
        var state = StateOf(item.Tenant);
        state.Queue.AddLast(item);
        TotalQueued++;
        EnsureInRing(state);
    }

    /// <summary>The next event to run at <paramref name="now"/>, or false if none may start now.</summary>
    public bool TryDequeue(TimeSpan now, out WorkItem<T> item)
    {
        item = null!;
        var fruitless = 0;
        while (_ring.Count > 0)
        {
            var node = _current ??= _ring.First!;
            var tenant = node.Value;
            var pick = TryPick(tenant, now);
            if (!tenant.Visited)
            {
                tenant.Visited = true;
                if (pick is not null) tenant.Deficit += GrantOf(tenant);
            }
            if (pick is not null && tenant.Deficit > 0)
            {
                item = Dispatch(tenant, pick, now);
                item.LeadsRun = true;
                tenant.Runs++;
                return true;
            }

            Leave(tenant);
            if (++fruitless < _ring.Count) continue;
            // A whole round started nothing: either nobody may run now, or every runnable tenant is
            // in debt. Fast-forward the rounds that would pass until the first of them has credit.
            if (!FastForward(now)) return false;
            fruitless = 0;
        }
        return false;
    }

    /// <summary>
    /// Like <see cref="TryDequeue"/>, then lets more of the same tenant's ready events ride along, up to
    /// <paramref name="maxBatch"/>, so the caller can run them in one transaction, in this order. A serial
    /// tenant (ordered by tenant, or concurrency 1) takes the events right behind the first: they run one
    /// after another anyway. A tenant that may run keys in parallel takes, in queue order, events whose key
    /// no running event holds, never two of one key, and never one past an earlier event of its key that
    /// cannot ride: each item stays in offset order. A run counts once against such a tenant's concurrency.
    /// Each rider is charged and rate-limited like a dispatch of its own and rides only while the tenant
    /// still has credit, so batching never buys a tenant more than its fair share. Retried and isolated
    /// events run alone.
    /// </summary>
    public bool TryDequeueBatch(TimeSpan now, int maxBatch, List<WorkItem<T>> batch)
    {
        batch.Clear();
        if (!TryDequeue(now, out var first)) return false;
        batch.Add(first);
        if (!CanRide(first, now)) return true;
        var state = _tenants[first.Tenant];
        var budget = options.RunBudget.Ticks - first.EstimateTicks;
        // A rider fits while the tenant's per-event estimate does, or while what its runs cost (a fixed
        // part per run, a part per event) says it does: the average alone keeps a tenant whose runs are
        // mostly fixed cost at runs of one, and a fit from noisy costs alone can shrink runs the average
        // would have grown.
        var limit = state.RunCost.EventsWithin(options.RunBudget.Ticks) ?? 0;
        bool Fits() => batch.Count < maxBatch && (state.EstimateTicks <= budget || batch.Count < limit);
        if (state.Limits.Serial)
        {
            while (Fits() && state.Queue.First is { } next && CanRide(next.Value, now))
            {
                if (state.Bucket is { } bucket && !bucket.CanTake(now)) break;
                budget -= state.EstimateTicks;
                batch.Add(Dispatch(state, next, now));
            }
            return Sized(batch);
        }

        HashSet<string>? blocked = null;
        var scanned = 0;
        for (var node = state.Queue.First; node is not null && Fits() && scanned < options.MaxScan; scanned++)
        {
            var next = node.Next;
            var item = node.Value;
            var key = KeyOf(state, item);
            if (!CanRide(item, now) || IsBusy(state, item) || (blocked?.Contains(key) ?? false))
            {
                // Later events of this key must not pass it.
                (blocked ??= new HashSet<string>(StringComparer.Ordinal)).Add(key);
            }
            else
            {
                if (state.Bucket is { } bucket && !bucket.CanTake(now)) break;
                budget -= state.EstimateTicks;
                batch.Add(Dispatch(state, node, now));
            }
            node = next;
        }
        return Sized(batch);
    }

    // Each event of a run learns its run's size: its cost is charged as its share of the run's.
    private static bool Sized(List<WorkItem<T>> batch)
    {
        foreach (var item in batch) item.RunSize = batch.Count;
        return true;
    }

    private static bool CanRide(WorkItem<T> item, TimeSpan now) => item.Attempts == 0 && !item.Isolated && item.NotBefore <= now;

    /// <summary>The event finished (processed, parked or dead-lettered); charge what it really cost.</summary>
    public void Complete(WorkItem<T> item, TimeSpan cost)
    {
        if (item.RunSize == 1) ObserveLoneRun(Math.Max(0, cost.Ticks));
        var state = Release(item, cost);
        DropIfIdle(state);
    }

    /// <summary>
    /// The event failed transiently: charge its cost and put it back at the front of its tenant's
    /// queue, not to start before <paramref name="notBefore"/>. Later events of its key wait behind it.
    /// </summary>
    public void Retry(WorkItem<T> item, TimeSpan cost, TimeSpan notBefore) => Requeue(item, cost, notBefore, countAttempt: true);

    /// <summary>
    /// A batch failed because of some other event in it: put this one back at the front without
    /// counting an attempt, to run alone next time so the culprit is found. Requeue a batch last to first.
    /// </summary>
    public void Isolate(WorkItem<T> item, TimeSpan cost) => Requeue(item, cost, TimeSpan.Zero, countAttempt: false);

    private void Requeue(WorkItem<T> item, TimeSpan cost, TimeSpan notBefore, bool countAttempt)
    {
        var state = Release(item, cost);
        if (countAttempt) item.Attempts++;
        else item.Isolated = true;
        item.NotBefore = notBefore;
        state.Queue.AddFirst(item);
        TotalQueued++;
        EnsureInRing(state);
    }

    /// <summary>Removes queued (not in-flight) events that match, e.g. those of a revoked partition.</summary>
    public List<WorkItem<T>> RemoveQueued(Func<WorkItem<T>, bool> match)
    {
        var removed = new List<WorkItem<T>>();
        foreach (var state in _tenants.Values.ToList())
        {
            for (var node = state.Queue.First; node is not null;)
            {
                var next = node.Next;
                if (match(node.Value))
                {
                    state.Queue.Remove(node);
                    removed.Add(node.Value);
                    TotalQueued--;
                }
                node = next;
            }
            if (state.Queue.Count == 0) RemoveFromRing(state);
            DropIfIdle(state);
        }
        return removed;
    }

    /// <summary>The earliest time a queued event blocked only by time (retry backoff, rate limit) may start.</summary>
    public TimeSpan? NextReadyAt(TimeSpan now)
    {
        TimeSpan? earliest = null;
        foreach (var state in _ring)
        {
            if (state.InFlight >= state.Limits.MaxInFlight) continue;
            if (EarliestByTime(state, now) is not { } at) continue;
            if (state.Bucket is { } bucket && bucket.NextTokenAt(now) is var token && token > at) at = token;
            if (at > now && (earliest is null || at < earliest)) earliest = at;
        }
        return earliest;
    }

    /// <summary>Queue depth and in-flight count of each active tenant (for metrics).</summary>
    public IEnumerable<(string Tenant, int Queued, int InFlight)> Snapshot() =>
        _tenants.Values.Select(s => (s.Id, s.Queue.Count, s.InFlight));
}
