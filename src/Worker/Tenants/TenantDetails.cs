using System.Text.Json.Serialization;

namespace Fairlane.Worker.Tenants;

/// <summary>A tenant as an operator sees it: the whole <c>tenants</c> row.</summary>
internal sealed record TenantDetails(
    string Id,
    string Name,
    string Status,
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
}
