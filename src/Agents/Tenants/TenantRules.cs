using Fairlane.Contracts;

namespace Fairlane.Agents.Tenants;

/// <summary>
/// What a tenant's id, name and limits may be. The ranges match the <c>tenants</c> CHECK constraints, so a
/// value refused here would also be refused by PostgreSQL, only with a worse message.
/// </summary>
internal static class TenantRules
{
    public const int MaxWeight = 1_000;
    public const int MaxConcurrency = 64;
    public const int MaxNameLength = 200;

    // The same ceiling as Engine:TenantQueueDepth: a deeper in-memory queue defeats the park.
    public const int MaxQueueDepthLimit = 1_000_000;

    /// <summary>The limit fields by their admin API names, in the order help and errors list them.</summary>
    public static readonly string[] LimitFields = ["weight", "concurrency", "ordering", "ratePerSecond", "maxQueueDepth", "monthlyBudget"];

    public static void CheckId(string? id)
    {
        if (!TenantIds.IsValid(id))
            throw TenantErrors.Invalid("id", $"must be 1-{TenantIds.MaxLength} characters of letters, digits, '.', '_' or '-'; got '{id}'.");
    }

    public static string CheckName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length > MaxNameLength) throw TenantErrors.Invalid("name", $"must be at most {MaxNameLength} characters; got {trimmed.Length}.");
        if (trimmed.Any(char.IsControl)) throw TenantErrors.Invalid("name", "must not contain control characters.");
        return trimmed;
    }

    public static void Check(TenantLimitsChange change)
    {
        if (change.Weight is { } w && w is < 1 or > MaxWeight)
            throw TenantErrors.Invalid("weight", $"must be a whole number from 1 to {MaxWeight}; got {w}.");
        if (change.Concurrency.Value is { } c && c is < 1 or > MaxConcurrency)
            throw TenantErrors.Invalid("concurrency", $"must be a whole number from 1 to {MaxConcurrency}, or null for automatic; got {c}.");
        if (change.Ordering is { } o && !Enum.IsDefined(o))
            throw TenantErrors.Invalid("ordering", $"must be item or tenant; got {(int)o}.");
        if (change.RatePerSecond.Value is { } r && !(r > 0 && double.IsFinite(r)))
            throw TenantErrors.Invalid("ratePerSecond", $"must be a number greater than 0 (events per second), or null for no limit; got {r}.");
        if (change.MaxQueueDepth.Value is { } q && q is < 1 or > MaxQueueDepthLimit)
            throw TenantErrors.Invalid("maxQueueDepth", $"must be a whole number from 1 to {MaxQueueDepthLimit}, or null for the node's Engine:TenantQueueDepth; got {q}.");
        if (change.MonthlyBudget.Value is { } b && b < 0)
            throw TenantErrors.Invalid("monthlyBudget", $"must be a whole number of at least 0 (jobs per month), or null for no budget; got {b}.");
    }
}
