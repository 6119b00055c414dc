using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Partitioning.Engine;

/// <summary>
/// Tenants' settings. Weights, concurrency (automatic unless set), ordering, rate and queue depth
/// shape the schedule. A tenant that becomes held stops running: its queued events leave memory
/// (those loaded from the park are put back there, those from Kafka go in transit to it) and the rest
/// of its events park on arrival. Its events already running finish.
/// </summary>
public sealed partial class EngineCore<TEvent>
{
    /// <summary>
    /// Takes every tenant's current settings (a tenant absent from <paramref name="tenants"/> falls back to
    /// the defaults). Returns the events of newly held tenants that must now be written to the park: they
    /// are in transit, their park writes counted as started, for the caller to hand to the park writer.
    /// </summary>
    public IReadOnlyList<TEvent> ApplyTenants(IReadOnlyCollection<TenantSettings> tenants)
    {
        var spilled = new List<TEvent>();
        foreach (var t in tenants.Where(t => t.IsHeld && !(_tenants.GetValueOrDefault(t.Id)?.IsHeld ?? false)))
            Spill(t.Id, spilled);
        var gone = _tenants.Keys.Except(tenants.Select(t => t.Id)).ToList();
        foreach (var id in gone)
        {
            _tenants.Remove(id);
            _scheduler.SetLimits(id, TenantLimits.Default);
        }
        foreach (var t in tenants)
        {
            _tenants[t.Id] = t;
            _scheduler.SetLimits(t.Id, t.Limits(_settings.TenantQueueDepth, _settings.Workers));
        }
        return spilled;
    }

    /// <summary>One tenant as this node applies it now: its settings, the scheduler's limits, its queue.</summary>
    public (TenantSettings? Settings, TenantLimits Limits, int Queued, int InFlight) TenantState(string tenant) =>
        (_tenants.GetValueOrDefault(tenant), _scheduler.LimitsOf(tenant), _scheduler.Queued(tenant), _scheduler.InFlight(tenant));

    // Events loaded from the park still have their rows: they are only put back. Events from Kafka
    // are written to the park; their offsets complete once written, like any parked event. The park
    // drains in offset order, so the tenant's order survives the round trip.
    private void Spill(string tenant, List<TEvent> spilled)
    {
        _parks.VoidLoads(tenant); // a load under way would bring parked events back into memory
        var removed = _scheduler.RemoveQueued(i => i.Tenant == tenant && i.Payload.WaitsWhileHeld);
        foreach (var loaded in removed.Where(i => i.Payload.FromPark).GroupBy(i => i.Payload.Partition))
            _parks.Unloaded(loaded.Key, tenant, loaded.Count(), loaded.Min(i => i.Payload.Offset));
        foreach (var item in removed.Where(i => !i.Payload.FromPark))
        {
            ParkWriteStarted(item.Payload);
            BeginInTransit(item.Payload.Partition);
            spilled.Add(item.Payload);
        }
    }
}
