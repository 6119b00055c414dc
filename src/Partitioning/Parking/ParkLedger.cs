using Fairlane.Partitioning.Offsets;

namespace Fairlane.Partitioning.Parking;

/// <summary>
/// How many of each tenant's events sit in the durable park of each owned partition and have not
/// yet been loaded back into memory, and the offset up to which they were loaded. While a tenant
/// has unloaded parked events its newer events are parked too, so order per tenant holds. Not
/// thread-safe: the engine serialises access.
/// </summary>
public sealed class ParkLedger
{
    private readonly Dictionary<(PartitionKey Partition, string Tenant), Entry> _entries = [];

    private sealed class Entry
    {
        public int Unloaded;
        public long LoadedThrough = -1;
    }

    public int Unloaded(PartitionKey partition, string tenant) =>
        _entries.TryGetValue((partition, tenant), out var e) ? e.Unloaded : 0;

    /// <summary>The highest parked offset already loaded into memory (-1 for none).</summary>
    public long LoadedThrough(PartitionKey partition, string tenant) =>
        _entries.TryGetValue((partition, tenant), out var e) ? e.LoadedThrough : -1;

    /// <summary>Events parked (counted as soon as the park is decided, before the write commits).</summary>
    public void Parked(PartitionKey partition, string tenant, int count)
    {
        if (!_entries.TryGetValue((partition, tenant), out var e)) _entries[(partition, tenant)] = e = new Entry();
        e.Unloaded += count;
    }

    /// <summary>Parked events moved back into memory, up to <paramref name="throughOffset"/>.</summary>
    public void Loaded(PartitionKey partition, string tenant, int count, long throughOffset)
    {
        if (!_entries.TryGetValue((partition, tenant), out var e)) return;
        e.Unloaded = Math.Max(0, e.Unloaded - count);
        e.LoadedThrough = Math.Max(e.LoadedThrough, throughOffset);
        if (e.Unloaded == 0) _entries.Remove((partition, tenant));
    }

    /// <summary>Tenants of a partition with events still to load, for the drainer.</summary>
    public IEnumerable<(PartitionKey Partition, string Tenant, long LoadedThrough)> Pending() =>
        _entries.Where(e => e.Value.Unloaded > 0).Select(e => (e.Key.Partition, e.Key.Tenant, e.Value.LoadedThrough));

    /// <summary>Forgets a partition (revoked or lost); its new owner reads the park afresh.</summary>
    public void Forget(PartitionKey partition)
    {
        foreach (var key in _entries.Keys.Where(k => k.Partition == partition).ToList()) _entries.Remove(key);
    }

    public int TotalUnloaded => _entries.Values.Sum(e => e.Unloaded);
}
