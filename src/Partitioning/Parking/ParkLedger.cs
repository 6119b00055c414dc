using Fairlane.Partitioning.Offsets;

namespace Fairlane.Partitioning.Parking;

/// <summary>
/// What this node knows of the durable park of each owned partition, per tenant: whether the park
/// may still hold rows not yet loaded back into memory, writes not yet committed, and how far rows
/// were loaded. While any of that is true the tenant's newer events are parked too, so its order
/// holds. A partition just assigned is "unknown" until its park was read: until then every event
/// of it is parked. Not thread-safe: the engine serialises access.
/// </summary>
/// <remarks>
/// The park must never strand a row or run a tenant's rows out of offset order. Loads read forward
/// from a position, so two rules keep every row at or above that position:
/// <list type="bullet">
/// <item>A load reads only below the lowest write still pending and below the partition's intake
/// position: a row the consumer has not yet passed may still be preceded by records that will be
/// parked after it (a new owner re-consumes from the committed offset, below rows an earlier owner
/// parked).</item>
/// <item>A write at or below the position (an in-memory event spilled by a pause, a retried event)
/// moves the position back to just before it and voids loads under way; the caller puts back the
/// loaded events above it that have not started, so they run again after it, in order.</item>
/// </list>
/// </remarks>
public sealed class ParkLedger
{
    private readonly Dictionary<(PartitionKey Partition, string Tenant), Entry> _entries = [];
    private readonly HashSet<PartitionKey> _unknown = [];
    private readonly HashSet<(PartitionKey Partition, string Tenant)> _touched = []; // may have become loadable since last asked

    private sealed class Entry
    {
        public bool MayHaveRows;
        public readonly SortedDictionary<long, int> PendingWrites = []; // offset -> writes of it started, not committed
        public long WriteGeneration;
        public long LoadGeneration; // bumped when loads begun before must be dropped
        public long LoadedThrough = -1;
        public long InheritedThrough = -1; // highest offset parked before this node read the partition's park
        public int InMemory; // loaded from the park, not yet finished (their rows still exist)
        public bool Draining;

        public bool HasPendingWrites => PendingWrites.Count > 0;

        // Loads stop short of the oldest write still under way: rows above it would run before it.
        public long LowestPendingWrite => PendingWrites.Count > 0 ? PendingWrites.First().Key : long.MaxValue;
    }

    /// <summary>A partition was assigned: park all of it until <see cref="PartitionRead"/>.</summary>
    public void PartitionAssigned(PartitionKey partition) => _unknown.Add(partition);

    /// <summary>The park of a new partition was read: these tenants have rows in it, up to these offsets.</summary>
    public void PartitionRead(PartitionKey partition, IEnumerable<(string Tenant, long HighestOffset)> tenantsWithRows)
    {
        foreach (var (tenant, highest) in tenantsWithRows)
        {
            var e = Get(partition, tenant);
            e.MayHaveRows = true;
            e.InheritedThrough = Math.Max(e.InheritedThrough, highest);
        }
        _unknown.Remove(partition);
    }

    /// <summary>Whether the tenant's next event of this partition must go to the park to stay in order.</summary>
    public bool MustPark(PartitionKey partition, string tenant) =>
        _unknown.Contains(partition)
        || (_entries.TryGetValue((partition, tenant), out var e) && (e.MayHaveRows || e.HasPendingWrites));

    /// <summary>
    /// A write of the event at <paramref name="offset"/> to the park started. Returns true when it lands
    /// at or below what was already loaded: the load position moved back before it and loads under way are
    /// void, and the caller must put back (<see cref="Unloaded"/>) the loaded events above it that have not
    /// started, so that everything from <paramref name="offset"/> on runs again in offset order.
    /// </summary>
    public bool WriteStarted(PartitionKey partition, string tenant, long offset)
    {
        var e = Get(partition, tenant);
        e.PendingWrites[offset] = e.PendingWrites.GetValueOrDefault(offset) + 1;
        e.MayHaveRows = true;
        if (offset > e.LoadedThrough) return false;
        e.LoadedThrough = offset - 1;
        e.LoadGeneration++;
        return true;
    }

    public void WriteCommitted(PartitionKey partition, string tenant, long offset)
    {
        if (!_entries.TryGetValue((partition, tenant), out var e)) return;
        if (e.PendingWrites.TryGetValue(offset, out var n))
        {
            if (n > 1) e.PendingWrites[offset] = n - 1;
            else e.PendingWrites.Remove(offset);
        }
        e.WriteGeneration++;
        _touched.Add((partition, tenant));
    }

    /// <summary>
    /// Tenants whose park should be loaded now; marks them draining until <see cref="Loaded"/>.
    /// <paramref name="intakePosition"/> is the next offset the partition's consumer will hand over: rows at
    /// or above it wait until intake has passed them.
    /// </summary>
    public List<DrainRequest> StartDrains(Func<string, int> room, Func<PartitionKey, long> intakePosition)
    {
        var requests = new List<DrainRequest>();
        foreach (var ((partition, tenant), e) in _entries)
        {
            if (LoadableBefore(partition, e, intakePosition) is not { } before) continue;
            var free = room(tenant);
            if (free <= 0) continue;
            e.Draining = true;
            requests.Add(new DrainRequest(partition, tenant, e.LoadedThrough, before, e.WriteGeneration, free, e.LoadGeneration));
        }
        _touched.Clear();
        return requests;
    }

    /// <summary>
    /// Whether a tenant touched since the last call (a loaded event finished, a park write committed, a full
    /// page was loaded) could start a drain now: the drainer need not wait out its interval. Cheap enough to
    /// ask after every finished event, since it looks only at the tenants touched.
    /// </summary>
    public bool TakeDrainDue(Func<string, int> room, Func<PartitionKey, long> intakePosition)
    {
        var due = false;
        foreach (var key in _touched)
        {
            if (_entries.TryGetValue(key, out var e) && LoadableBefore(key.Partition, e, intakePosition) is not null && room(key.Tenant) > 0)
            {
                due = true;
                break;
            }
        }
        _touched.Clear();
        return due;
    }

    // The upper bound (exclusive) of a load that may start now, or null if none may.
    private long? LoadableBefore(PartitionKey partition, Entry e, Func<PartitionKey, long> intakePosition)
    {
        if (e.Draining || !e.MayHaveRows || _unknown.Contains(partition)) return null;
        var before = Math.Min(e.LowestPendingWrite, intakePosition(partition));
        return before <= e.LoadedThrough + 1 ? null : before; // nothing may be loaded yet
    }

    /// <summary>
    /// A drain query returned <paramref name="rows"/> rows up to <paramref name="throughOffset"/>. The
    /// park is known empty only if the query came back short, read without an upper bound that rows may
    /// lie beyond, and no write committed or is pending since it started: a write that committed during
    /// the query may not have been seen.
    /// </summary>
    /// <param name="queued">How many of the rows go into memory (a row that cannot be read back stays parked); all when null.</param>
    /// <returns>False when the rows must be dropped unqueued: events were put back or written below them since the load began.</returns>
    public bool Loaded(DrainRequest request, int rows, long throughOffset, int? queued = null)
    {
        if (!_entries.TryGetValue((request.Partition, request.Tenant), out var e)) return false;
        e.Draining = false;
        if (e.LoadGeneration != request.LoadGeneration) return false;
        e.InMemory += queued ?? rows;
        if (rows > 0) e.LoadedThrough = Math.Max(e.LoadedThrough, throughOffset);
        if (rows < request.Limit && !e.HasPendingWrites && e.WriteGeneration == request.WriteGeneration && request.Before > e.InheritedThrough)
            e.MayHaveRows = false;
        else if (rows >= request.Limit) _touched.Add((request.Partition, request.Tenant)); // a full page: likely more behind it
        RemoveIfSettled(request.Partition, request.Tenant, e);
        return true;
    }

    /// <summary>The tenant is held (paused): loads of its park under way are void, their rows stay parked.</summary>
    public void VoidLoads(string tenant)
    {
        foreach (var ((_, t), e) in _entries)
        {
            if (t == tenant) e.LoadGeneration++;
        }
    }

    /// <summary>
    /// Loaded events were taken back out of memory unfinished (their tenant was paused, or an older event was
    /// parked behind them): their rows are still parked, so the next load starts again at the first of them,
    /// and a load already under way is void (it read past them).
    /// </summary>
    public void Unloaded(PartitionKey partition, string tenant, int count, long fromOffset)
    {
        if (!_entries.TryGetValue((partition, tenant), out var e)) return;
        e.InMemory = Math.Max(0, e.InMemory - count);
        e.LoadedThrough = Math.Min(e.LoadedThrough, fromOffset - 1);
        e.LoadGeneration++;
        e.MayHaveRows = true;
    }

    /// <summary>A drain failed; it may be tried again.</summary>
    public void DrainFailed(DrainRequest request)
    {
        if (_entries.TryGetValue((request.Partition, request.Tenant), out var e)) e.Draining = false;
    }

    /// <summary>An event loaded from the park finished (its row is gone or it was dropped on revoke).</summary>
    public void LoadedEventFinished(PartitionKey partition, string tenant)
    {
        if (!_entries.TryGetValue((partition, tenant), out var e)) return;
        e.InMemory = Math.Max(0, e.InMemory - 1);
        if (e.MayHaveRows) _touched.Add((partition, tenant));
        RemoveIfSettled(partition, tenant, e);
    }

    /// <summary>Forgets a partition (revoked or lost); its next owner reads the park afresh.</summary>
    public void Forget(PartitionKey partition)
    {
        _unknown.Remove(partition);
        foreach (var key in _entries.Keys.Where(k => k.Partition == partition).ToList()) _entries.Remove(key);
        _touched.RemoveWhere(k => k.Partition == partition);
    }

    /// <summary>Tenants whose park may hold rows or has writes pending.</summary>
    public int TenantsParked => _entries.Values.Count(e => e.MayHaveRows || e.HasPendingWrites);

    private Entry Get(PartitionKey partition, string tenant)
    {
        if (!_entries.TryGetValue((partition, tenant), out var e)) _entries[(partition, tenant)] = e = new Entry();
        return e;
    }

    // Keep the entry while loaded rows are unfinished: its LoadedThrough stops a later drain loading them twice.
    private void RemoveIfSettled(PartitionKey partition, string tenant, Entry e)
    {
        if (!e.MayHaveRows && !e.HasPendingWrites && e.InMemory == 0 && !e.Draining) _entries.Remove((partition, tenant));
    }
}

/// <summary>Load up to <see cref="Limit"/> parked events of a tenant after <see cref="After"/> and below <see cref="Before"/>.</summary>
public sealed record DrainRequest(PartitionKey Partition, string Tenant, long After, long Before, long WriteGeneration, int Limit, long LoadGeneration);
