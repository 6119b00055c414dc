namespace Fairlane.Agents.Tenants;

/// <summary>A change to one optional limit: keep it (the default), clear it, or set it.</summary>
internal readonly record struct OptionalLimit<T>(bool IsChanged, T? Value) where T : struct
{
    public static OptionalLimit<T> Keep => default;
    public static OptionalLimit<T> Clear => new(true, null);
    public static OptionalLimit<T> To(T value) => new(true, value);

    public T? ApplyTo(T? current) => IsChanged ? Value : current;
}

/// <summary>The limits an operator asks to change; what it leaves out stays as it is.</summary>
internal sealed record TenantLimitsChange
{
    public int? Weight { get; init; }
    public OptionalLimit<int> Concurrency { get; init; }
    public OptionalLimit<double> RatePerSecond { get; init; }
    public OptionalLimit<int> MaxQueueDepth { get; init; }
    public OptionalLimit<long> MonthlyBudget { get; init; }
    public TenantOrdering? Ordering { get; init; }

    public static TenantLimitsChange None { get; } = new();

    public bool IsEmpty => this == None;

    public TenantLimitValues ApplyTo(TenantLimitValues current) => new(
        Weight ?? current.Weight,
        Concurrency.ApplyTo(current.Concurrency),
        RatePerSecond.ApplyTo(current.RatePerSecond),
        MaxQueueDepth.ApplyTo(current.MaxQueueDepth),
        MonthlyBudget.ApplyTo(current.MonthlyBudget),
        Ordering ?? current.Ordering);
}

/// <summary>A tenant to register: its id, an optional display name and the limits that differ from the defaults.</summary>
internal sealed record TenantRegistration(string Id, string? Name, TenantLimitsChange Limits);
