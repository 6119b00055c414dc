using System.Text.Json.Serialization;

namespace Fairlane.Agents.Tenants;

/// <summary>A tenant as an operator sees it: the whole <c>tenants</c> row.</summary>
internal sealed record TenantDetails(
    string Id,
    string Name,
    [property: JsonConverter(typeof(TenantStatusJsonConverter))] TenantStatus Status,
    int Weight,
    int Concurrency,
    double? RatePerSecond,
    int? MaxQueueDepth,
    long? MonthlyBudget,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    [JsonIgnore]
    public TenantLimitValues Limits => new(Weight, Concurrency, RatePerSecond, MaxQueueDepth, MonthlyBudget);

    /// <summary>What a change may set: everything but the id and the timestamps.</summary>
    [JsonIgnore]
    public TenantRow Row => new(Name, Status, Limits);
}
