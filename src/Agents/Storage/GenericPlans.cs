using Npgsql;

namespace Fairlane.Agents.Storage;

/// <summary>
/// A stretch of statements PostgreSQL plans once per connection and not on every execution
/// (<c>plan_cache_mode = force_generic_plan</c>, local to the transaction). Left to itself, PostgreSQL
/// plans every execution of a statement that takes an array afresh, as a plan for the array it was given
/// always looks cheaper than one for any array; under load that planning cost more CPU than running the
/// statements.
/// <para>
/// A generic plan is made without the values, so it estimates every tenant at the average: on a fleet
/// where one tenant holds most rows, a plan that scans "the tenant's rows" and then picks the keys out
/// is cheap for the average tenant and ruinous for the large one. Only statements that cannot take that
/// shape belong in such a stretch: each tenant table is reached one key at a time, by the whole of a
/// unique key, in a subquery PostgreSQL cannot merge into the statement (<c>OFFSET 0</c> or
/// <c>FOR UPDATE</c>) and so must run once per key; a write then reaches the rows it locked earlier in the
/// same transaction by their row address (<c>ctid</c>). GenericPlanTests shows each of them on a
/// skewed database.
/// </para>
/// </summary>
public static class GenericPlans
{
    /// <summary>From here to <see cref="End"/>, or to the end of the transaction, statements run their generic plan.</summary>
    public static NpgsqlBatchCommand Begin() => new("SET LOCAL plan_cache_mode = force_generic_plan");

    /// <summary>Back to the session's own plan cache mode (the server's, or the one the connection string names).</summary>
    public static NpgsqlBatchCommand End() => new("SET LOCAL plan_cache_mode TO DEFAULT");
}
