namespace Fairlane.Partitioning.Scheduling;

public sealed partial class FairScheduler<T>
{
    // The one key of a tenant-ordered tenant's events; no ordering key from the catalogue starts with NUL.
    private const string TenantWideKey = "\0tenant";

    private sealed class TenantState(string id)
    {
        public string Id { get; } = id;
        public TenantLimits Limits { get; private set; } = TenantLimits.Default;
        public LinkedList<WorkItem<T>> Queue { get; } = new();
        public Dictionary<string, int> BusyKeys { get; } = new(StringComparer.Ordinal); // key → events of it in flight
        public LinkedListNode<TenantState>? RingNode { get; set; }
        public TokenBucket? Bucket { get; private set; }
        public int InFlight { get; set; }
        public int Runs { get; set; } // runs in flight: what a tenant's concurrency limits when it may run keys in parallel
        public long Deficit { get; set; }
        public long EstimateTicks { get; set; }
        public RunCostModel RunCost { get; } = new();
        public bool Visited { get; set; }

        public void Apply(TenantLimits limits, TimeSpan now)
        {
            if (Bucket is null || limits.RatePerSecond != Limits.RatePerSecond)
                Bucket = limits.RatePerSecond is { } rate ? new TokenBucket(rate, Math.Max(1, rate), now) : null;
            Limits = limits;
        }
    }

    private TenantState StateOf(string tenant)
    {
        if (_tenants.TryGetValue(tenant, out var state)) return state;
        state = new TenantState(tenant) { EstimateTicks = options.InitialEstimate.Ticks };
        state.Apply(LimitsOf(tenant), TimeSpan.Zero);
        _tenants[tenant] = state;
        return state;
    }

    // The first queued event this tenant may start now, or null.
    private LinkedListNode<WorkItem<T>>? TryPick(TenantState state, TimeSpan now)
    {
        // A serial tenant counts events (a run holds it whole); others count runs, each a worker's transaction.
        var running = state.Limits.Serial ? state.InFlight : state.Runs;
        if (running >= state.Limits.MaxInFlight || state.Queue.First is not { } head) return null;
        if (state.Bucket is { } bucket && !bucket.CanTake(now)) return null;
        if (state.Limits.Serial)
            return head.Value.NotBefore <= now && !IsBusy(state, head.Value) ? head : null; // strict order: only the head may run

        HashSet<string>? blocked = null;
        var scanned = 0;
        for (var node = head; node is not null && scanned < options.MaxScan; node = node.Next, scanned++)
        {
            var key = KeyOf(state, node.Value);
            if (IsBusy(state, node.Value) || (blocked?.Contains(key) ?? false) || node.Value.NotBefore > now)
            {
                // Everything after a blocked event of this key must wait for it, to keep key order.
                (blocked ??= new HashSet<string>(StringComparer.Ordinal)).Add(key);
                continue;
            }
            return node;
        }
        return null;
    }

    // When this tenant's first startable event could start if only time held it back: now when one
    // is ready (a busy key waits on a completion, which wakes the caller anyway), else the earliest
    // retry backoff among events not stuck behind their own key.
    private TimeSpan? EarliestByTime(TenantState state, TimeSpan now)
    {
        TimeSpan? earliest = null;
        HashSet<string>? blocked = null;
        var limit = state.Limits.Serial ? 1 : options.MaxScan;
        var scanned = 0;
        for (var node = state.Queue.First; node is not null && scanned < limit; node = node.Next, scanned++)
        {
            var item = node.Value;
            var key = KeyOf(state, item);
            if (IsBusy(state, item) || (blocked?.Contains(key) ?? false)) continue;
            if (item.NotBefore <= now) return now;
            (blocked ??= new HashSet<string>(StringComparer.Ordinal)).Add(key);
            if (earliest is null || item.NotBefore < earliest) earliest = item.NotBefore;
        }
        return earliest;
    }

    private WorkItem<T> Dispatch(TenantState state, LinkedListNode<WorkItem<T>> node, TimeSpan now)
    {
        var item = node.Value;
        state.Queue.Remove(node);
        TotalQueued--;
        state.InFlight++;
        TotalInFlight++;
        item.RunKey = KeyOf(state, item);
        Hold(state, item.OrderingKey);
        if (item.RunKey != item.OrderingKey) Hold(state, item.RunKey);
        state.Bucket?.TryTake(now);
        item.EstimateTicks = state.EstimateTicks;
        item.RunSize = 1;
        state.Deficit -= item.EstimateTicks;
        if (state.Queue.Count == 0)
        {
            Leave(state);
            RemoveFromRing(state);
        }
        return item;
    }

    private TenantState Release(WorkItem<T> item, TimeSpan cost)
    {
        if (!_tenants.TryGetValue(item.Tenant, out var state) || item.RunKey is not { } runKey || !state.BusyKeys.ContainsKey(item.OrderingKey))
            throw new InvalidOperationException($"Event of tenant '{item.Tenant}' key '{item.OrderingKey}' is not in flight.");
        Free(state, item.OrderingKey);
        if (runKey != item.OrderingKey) Free(state, runKey);
        item.RunKey = null;
        if (item.LeadsRun)
        {
            item.LeadsRun = false;
            state.Runs--;
        }
        state.InFlight--;
        TotalInFlight--;
        var ticks = Math.Max(0, cost.Ticks);
        state.Deficit += item.EstimateTicks - ticks;
        // The event's cost is its equal share of its run's: together the run's events are one observation.
        if (item.RunSize > 0) state.RunCost.Observe(item.RunSize, ticks * item.RunSize, 1.0 / item.RunSize);
        item.RunSize = 0;
        // Smooth, so one outlier does not swing the next dispatch's charge.
        state.EstimateTicks = Math.Max(1, (state.EstimateTicks * 4 + ticks) / 5);
        return state;
    }

    // The key an event is scheduled under: its own, or the tenant's one key when the whole tenant is ordered.
    private static string KeyOf(TenantState state, WorkItem<T> item) =>
        state.Limits.Ordering == OrderingScope.Tenant ? TenantWideKey : item.OrderingKey;

    // An event runs only when neither its own key nor the key it is scheduled under is held. Running
    // events hold both, so a change of the tenant's ordering never lets an event overtake one already
    // running under the other scope.
    private static bool IsBusy(TenantState state, WorkItem<T> item) =>
        state.BusyKeys.ContainsKey(item.OrderingKey) || state.BusyKeys.ContainsKey(KeyOf(state, item));

    private static void Hold(TenantState state, string key) => state.BusyKeys[key] = state.BusyKeys.GetValueOrDefault(key) + 1;

    private static void Free(TenantState state, string key)
    {
        if (state.BusyKeys.TryGetValue(key, out var running) && running > 1) state.BusyKeys[key] = running - 1;
        else state.BusyKeys.Remove(key);
    }

    // Credit granted per round: the quantum scaled by weight, where the quantum is at least what one event
    // run alone costs now. Below that, every visit overdraws: a tenant with one event gets a whole run per
    // visit (and its debt goes when it goes idle), while a backlogged tenant gets only the quantum, so the
    // tenants with most to do got the smallest share exactly when the machine was busiest.
    private long GrantOf(TenantState state) => RoundGrantTicks * state.Limits.Weight;

    // A run of one event completed: smooth what it cost into what running one event alone costs now. One
    // outlier (an event that waited out a timeout) moves it by at most a thirty-second of twice its value.
    private void ObserveLoneRun(long ticks)
    {
        _loneRunTicks += (Math.Min(ticks, 2 * RoundGrantTicks) - _loneRunTicks) / 32;
    }

    // The tenant's turn ends: keep any debt, but bank no more than one grant of credit.
    private void Leave(TenantState state)
    {
        state.Visited = false;
        state.Deficit = Math.Min(state.Deficit, GrantOf(state));
        if (_current is not null && _current.Value == state) _current = _current.Next ?? _ring.First;
    }

    private bool FastForward(TimeSpan now)
    {
        long rounds = long.MaxValue;
        var runnable = new List<TenantState>();
        foreach (var state in _ring)
        {
            if (TryPick(state, now) is null) continue;
            runnable.Add(state);
            var needed = state.Deficit > 0 ? 0 : (-state.Deficit / GrantOf(state)) + 1;
            rounds = Math.Min(rounds, needed);
        }
        if (runnable.Count == 0) return false;
        // The next pass grants one round itself; pre-grant the rounds before it.
        var preGrant = Math.Max(0, rounds - 1);
        foreach (var state in runnable) state.Deficit += preGrant * GrantOf(state);
        return true;
    }

    private void EnsureInRing(TenantState state)
    {
        if (state.RingNode is not null) return;
        // A tenant (re)joining goes just before the current one: it waits at most one round.
        state.RingNode = _current is null ? _ring.AddLast(state) : _ring.AddBefore(_current, state);
    }

    private void RemoveFromRing(TenantState state)
    {
        if (state.RingNode is null) return;
        if (_current == state.RingNode) _current = state.RingNode.Next ?? (_ring.First == state.RingNode ? null : _ring.First);
        _ring.Remove(state.RingNode);
        state.RingNode = null;
        if (_ring.Count == 0) _current = null;
    }

    private void DropIfIdle(TenantState state)
    {
        if (state.Queue.Count == 0 && state.InFlight == 0)
        {
            RemoveFromRing(state);
            _tenants.Remove(state.Id);
        }
    }
}
