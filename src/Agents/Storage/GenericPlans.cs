using Npgsql;

namespace Fairlane.Agents.Storage;

/// <summary>
/// A stretch of statements PostgreSQL plans once per connection and not on every execution
/// (<c>plan_cache_mode = force_generic_plan</c>, local to the transaction). Left to itself, PostgreSQL
/// plans every execution of a statement that takes an array afresh, as a plan for the array it was given
/// always looks cheaper than one for any array; under load that planning cost more CPU than running the
/// statements.
/// <para>
/// A generic plan is made without the values, and kept. So it takes every tenant for the average one:
/// on a fleet where one tenant holds most rows, a plan that reads "the tenant's rows" and picks the keys
/// out is cheap for the average tenant and ruinous for the large one. And it takes the tables for the
/// size they had when it was made: a plan made while a table was nearly empty reads the whole table
/// once it has filled. Only statements that cannot take either shape belong in a stretch: each tenant
/// table is reached one key at a time, by the whole of a unique key, in a subquery PostgreSQL cannot
/// merge into the statement (<c>OFFSET 0</c> or <c>FOR UPDATE</c>) and so must run once per key; a write
/// then reaches the rows it locked earlier in the same transaction by their row address (<c>ctid</c>);
/// and the stretch turns sequential scans off (<c>enable_seqscan</c>), so no table is read whole
/// however small it looked. GenericPlanTests shows each of them on a skewed database, and with plans
/// made while the tables were empty. A statement that cannot be written so stays out (the Watcher's
/// locking read: the mapping's two unique keys share the tenant and the channel, and a plan made on
/// empty tables took the one that does not hold the item).
/// </para>
/// <para>
/// A statement run in a stretch runs only in stretches: PostgreSQL keeps one generic plan per
/// prepared statement, and a plan made outside a stretch would have been made with sequential scans on.
/// </para>
/// </summary>
public static class GenericPlans
{
    // The statements that open a stretch: from there to End's, or to the end of the transaction.
    private static IEnumerable<NpgsqlBatchCommand> Begin() =>
        [new("SET LOCAL plan_cache_mode = force_generic_plan"), new("SET LOCAL enable_seqscan = off")];

    // The statements that close a stretch: back to the session's own settings (the server's, or the connection string's).
    private static IEnumerable<NpgsqlBatchCommand> End() =>
        [new("SET LOCAL plan_cache_mode TO DEFAULT"), new("SET LOCAL enable_seqscan TO DEFAULT")];

    /// <summary>
    /// Adds <paramref name="statements"/> to <paramref name="batch"/> in a stretch of their own. The settings
    /// return no rows, so a reader sees only the statements' results.
    /// </summary>
    public static void AddTo(NpgsqlBatch batch, IEnumerable<NpgsqlBatchCommand> statements)
    {
        foreach (var statement in Begin().Concat(statements).Concat(End())) batch.BatchCommands.Add(statement);
    }
}
