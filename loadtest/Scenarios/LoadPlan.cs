using Fairlane.LoadTest.Load;

namespace Fairlane.LoadTest.Scenarios;

/// <summary>A tenant as registered for the run: its class in the report and its concurrency limit.</summary>
internal sealed record TenantSetup(string Tenant, string Class, int Concurrency = 1);

/// <summary>One tenant's offered load during a phase; the initial credit (0..1) staggers equal-rate tenants.</summary>
internal sealed record TenantLoad(string Tenant, RateSchedule Schedule, double InitialCredit = 0);

/// <summary>A stretch of the run with its own offered load; the report measures each phase on its own.</summary>
internal sealed record LoadPhase(string Name, double Seconds, IReadOnlyList<TenantLoad> Load)
{
    public double OfferedEvents => Load.Sum(l => l.Schedule.EventsBetween(0, Seconds));
}

/// <summary>Everything a scenario decides: who the tenants are, their catalogs, and the load in each phase.</summary>
internal sealed record LoadPlan(IReadOnlyList<TenantSetup> Tenants, IReadOnlyList<LoadPhase> Phases, int ProductsPerTenant)
{
    public string ClassOf(string tenant) => _classes.Value.GetValueOrDefault(tenant, "other");

    private readonly Lazy<Dictionary<string, string>> _classes = new(() => Tenants.ToDictionary(t => t.Tenant, t => t.Class, StringComparer.Ordinal));
}
