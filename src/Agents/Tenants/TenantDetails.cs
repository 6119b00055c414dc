using System.Text.Json.Serialization;

namespace Fairlane.Agents.Tenants;

/// <summary>A tenant as an operator sees it: the whole <c>tenants</c> row.</summary>
internal sealed record TenantDetails(
    string Id,
    string Name,
    [property: JsonConverter(typeof(TenantStatusJsonConverter))] TenantStatus Status,
    int Weight,
    int? Concurrency,
    [property: JsonConverter(typeof(TenantOrderingJsonConverter))] TenantOrdering Ordering,
    double? RatePerSecond,
    int? MaxQueueDepth,
    long? MonthlyBudget,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// The events it may run at once on the node that answers (its Engine:Workers decides an automatic
    /// concurrency); null when the answer comes from no node's settings.
    /// </summary>
    public int? EffectiveConcurrency { get; init; }

    [JsonIgnore]
    public TenantLimitValues Limits => new(Weight, Concurrency, RatePerSecond, MaxQueueDepth, MonthlyBudget, Ordering);

    /// <summary>What a change may set: everything but the id and the timestamps.</summary>
    [JsonIgnore]
    public TenantRow Row => new(Name, Status, Limits);
}
