using Fairlane.Partitioning.Offsets;

namespace Fairlane.Partitioning.Parking;

/// <summary>
/// What this node knows of the durable park of each owned partition, per tenant: whether the park
/// may still hold rows not yet loaded back into memory, writes not yet committed, and how far rows
/// were loaded. While any of that is true the tenant's newer events are parked too, so its order
/// holds. A partition just assigned is "unknown" until its park was read: until then every event
/// of it is parked. Not thread-safe: the engine serialises access.
/// </summary>
public sealed class ParkLedger
{
    private readonly Dictionary<(PartitionKey Partition, string Tenant), Entry> _entries = [];
    private readonly HashSet<PartitionKey> _unknown = [];

    private sealed class Entry
    {
        public bool MayHaveRows;
        public int PendingWrites;
        public long WriteGeneration;
        public long LoadGeneration; // bumped when loaded events are put back: loads begun before are void
        public long LoadedThrough = -1;
        public int InMemory; // loaded from the park, not yet finished (their rows still exist)
        public bool Draining;
    }

    /// <summary>A partition was assigned: park all of it until <see cref="PartitionRead"/>.</summary>
    public void PartitionAssigned(PartitionKey partition) => _unknown.Add(partition);

    /// <summary>The park of a new partition was read: these tenants have rows in it.</summary>
    public void PartitionRead(PartitionKey partition, IEnumerable<string> tenantsWithRows)
    {
        foreach (var tenant in tenantsWithRows) Get(partition, tenant).MayHaveRows = true;
        _unknown.Remove(partition);
    }

    /// <summary>Whether the tenant's next event of this partition must go to the park to stay in order.</summary>
    public bool MustPark(PartitionKey partition, string tenant) =>
        _unknown.Contains(partition)
        || (_entries.TryGetValue((partition, tenant), out var e) && (e.MayHaveRows || e.PendingWrites > 0));

    public void WriteStarted(PartitionKey partition, string tenant)
    {
        var e = Get(partition, tenant);
        e.PendingWrites++;
        e.MayHaveRows = true;
    }

    public void WriteCommitted(PartitionKey partition, string tenant)
    {
        if (!_entries.TryGetValue((partition, tenant), out var e)) return;
        e.PendingWrites = Math.Max(0, e.PendingWrites - 1);
        e.WriteGeneration++;
    }

    /// <summary>Tenants whose park should be loaded now; marks them draining until <see cref="Loaded"/>.</summary>
    public List<DrainRequest> StartDrains(Func<string, int> room)
    {
        var requests = new List<DrainRequest>();
        foreach (var ((partition, tenant), e) in _entries)
        {
            if (e.Draining || !e.MayHaveRows || _unknown.Contains(partition)) continue;
            var free = room(tenant);
            if (free <= 0) continue;
            e.Draining = true;
            requests.Add(new DrainRequest(partition, tenant, e.LoadedThrough, e.WriteGeneration, free, e.LoadGeneration));
        }
        return requests;
    }

    /// <summary>
    /// A drain query returned <paramref name="rows"/> rows up to <paramref name="throughOffset"/>. The
    /// park is known empty only if the query came back short and no write committed or is pending
    /// since it started: a write that committed during the query may not have been seen.
    /// </summary>
    /// <returns>False when the rows must be dropped unqueued: events were put back since the load began.</returns>
    public bool Loaded(DrainRequest request, int rows, long throughOffset)
    {
        if (!_entries.TryGetValue((request.Partition, request.Tenant), out var e)) return false;
        e.Draining = false;
        if (e.LoadGeneration != request.LoadGeneration) return false;
        e.InMemory += rows;
        if (rows > 0) e.LoadedThrough = Math.Max(e.LoadedThrough, throughOffset);
        if (rows < request.Limit && e.PendingWrites == 0 && e.WriteGeneration == request.WriteGeneration) e.MayHaveRows = false;
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
    /// Loaded events were taken back out of memory unfinished (their tenant was paused): their rows
    /// are still parked, so the next load starts again at the first of them, and a load already
    /// under way is void (it read past them).
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
        RemoveIfSettled(partition, tenant, e);
    }

    /// <summary>Forgets a partition (revoked or lost); its next owner reads the park afresh.</summary>
    public void Forget(PartitionKey partition)
    {
        _unknown.Remove(partition);
        foreach (var key in _entries.Keys.Where(k => k.Partition == partition).ToList()) _entries.Remove(key);
    }

    /// <summary>Tenants whose park may hold rows or has writes pending.</summary>
    public int TenantsParked => _entries.Values.Count(e => e.MayHaveRows || e.PendingWrites > 0);

    private Entry Get(PartitionKey partition, string tenant)
    {
        if (!_entries.TryGetValue((partition, tenant), out var e)) _entries[(partition, tenant)] = e = new Entry();
        return e;
    }

    // Keep the entry while loaded rows are unfinished: its LoadedThrough stops a later drain loading them twice.
    private void RemoveIfSettled(PartitionKey partition, string tenant, Entry e)
    {
        if (!e.MayHaveRows && e.PendingWrites == 0 && e.InMemory == 0 && !e.Draining) _entries.Remove((partition, tenant));
    }
}

/// <summary>Load up to <see cref="Limit"/> parked events of a tenant after <see cref="After"/>.</summary>
public sealed record DrainRequest(PartitionKey Partition, string Tenant, long After, long WriteGeneration, int Limit, long LoadGeneration);
