using Npgsql;
using NpgsqlTypes;

namespace Fairlane.Agents.Tenants;

/// <summary>What a tenant row should become: its name, status and limits.</summary>
internal sealed record TenantRow(string Name, TenantStatus Status, TenantLimitValues Limits);

/// <summary>What a lifecycle call did to the tenant's row.</summary>
internal enum TenantChangeKind
{
    /// <summary>Nothing: the row already was as asked (pausing a paused tenant). No write, nothing to announce.</summary>
    Unchanged,

    /// <summary>A new row.</summary>
    Registered,

    /// <summary>An unregistered (deleted) tenant was registered again.</summary>
    Reactivated,

    /// <summary>Status, name or limits of a registered tenant changed.</summary>
    Changed,
}

/// <summary>The tenant as it is after a lifecycle call, and what the call did; callers announce written changes.</summary>
internal sealed record TenantChange(TenantDetails Tenant, TenantChangeKind Kind)
{
    public bool Written => Kind != TenantChangeKind.Unchanged;
}

/// <summary>What registering an id that already has a row does.</summary>
internal enum ReRegistration
{
    /// <summary>
    /// The admin API and the CLI: a registered tenant is a conflict; a deleted one comes back with exactly
    /// the new registration (its name, and the defaults for the limits it leaves out).
    /// </summary>
    RefuseUnlessDeleted,

    /// <summary>
    /// Control-topic commands: whatever is there becomes active, and what the command leaves out keeps its
    /// value, so replaying the compacted topic converges on the same row.
    /// </summary>
    ActivateAndMerge,
}

/// <summary>
/// The only code that writes the <c>tenants</c> table. Every change validates its input (<see cref="TenantRules"/>),
/// reads the row under a lock, decides what it becomes and writes it, all in the transaction it is given: the
/// admin API and the CLI open one as the schema owner; control-topic commands run in the pipeline's
/// tenant-bound transaction (row-level security lets it touch that tenant's row only). A change that would
/// leave the row as it is is not written. Nothing here announces changes: callers do that after committing.
/// </summary>
/// <remarks>
/// Unregistering keeps the tenant's row and data (status deleted: its events are dead-lettered).
/// </remarks>
internal static class TenantLifecycle
{
    /// <exception cref="TenantAdminException">Invalid field, or (<see cref="ReRegistration.RefuseUnlessDeleted"/>) Conflict when registered.</exception>
    public static Task<TenantChange> RegisterAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        TenantRegistration registration, ReRegistration reRegistration, CancellationToken cancellationToken)
    {
        TenantRules.CheckId(registration.Id);
        var name = registration.Name is null ? null : TenantRules.CheckName(registration.Name);
        TenantRules.Check(registration.Limits);
        var fresh = new TenantRow(name ?? "", TenantStatus.Active, registration.Limits.ApplyTo(TenantLimitValues.Defaults));
        return ChangeAsync(connection, tx, registration.Id, current => current switch
        {
            null => fresh,
            _ when reRegistration == ReRegistration.ActivateAndMerge =>
                new TenantRow(name ?? current.Name, TenantStatus.Active, registration.Limits.ApplyTo(current.Limits)),
            { Status: TenantStatus.Deleted } => fresh,
            _ => throw TenantErrors.AlreadyRegistered(current),
        }, cancellationToken);
    }

    /// <summary>Changes the name (when given) and the limits the change names; the rest stays.</summary>
    /// <exception cref="TenantAdminException">Invalid field, NotFound, or Conflict when deleted.</exception>
    public static Task<TenantChange> UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        string id, string? name, TenantLimitsChange change, CancellationToken cancellationToken)
    {
        TenantRules.CheckId(id);
        var newName = name is null ? null : TenantRules.CheckName(name);
        TenantRules.Check(change);
        return ChangeRegisteredAsync(connection, tx, id,
            current => current with { Name = newName ?? current.Name, Limits = change.ApplyTo(current.Limits) }, cancellationToken);
    }

    /// <summary>Pauses the tenant: its events wait in the park until it is resumed.</summary>
    /// <exception cref="TenantAdminException">Invalid id, NotFound, or Conflict when deleted.</exception>
    public static Task<TenantChange> PauseAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, CancellationToken cancellationToken) =>
        ChangeStatusAsync(connection, tx, id, TenantStatus.Paused, cancellationToken);

    /// <exception cref="TenantAdminException">Invalid id, NotFound, or Conflict when deleted.</exception>
    public static Task<TenantChange> ResumeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, CancellationToken cancellationToken) =>
        ChangeStatusAsync(connection, tx, id, TenantStatus.Active, cancellationToken);

    /// <summary>Marks the tenant deleted; its rows stay, its new events are dead-lettered.</summary>
    /// <exception cref="TenantAdminException">Invalid id, or NotFound.</exception>
    public static Task<TenantChange> UnregisterAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, CancellationToken cancellationToken)
    {
        TenantRules.CheckId(id);
        return ChangeAsync(connection, tx, id,
            current => (current ?? throw TenantErrors.NotFound(id)).Row with { Status = TenantStatus.Deleted }, cancellationToken);
    }

    /// <summary>
    /// Registers, with the default limits, those of <paramref name="ids"/> that have no row yet; existing
    /// tenants, deleted ones included, stay as they are. Needs the owner's connection (many tenants at once).
    /// Returns how many were registered.
    /// </summary>
    /// <exception cref="TenantAdminException">An invalid id or name.</exception>
    public static async Task<int> RegisterMissingAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        IEnumerable<string> ids, string name, CancellationToken cancellationToken)
    {
        var all = ids.ToArray();
        foreach (var id in all) TenantRules.CheckId(id);
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO tenants (id, name) SELECT t, @name FROM unnest(@ids) AS t ON CONFLICT (id) DO NOTHING", connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("ids", all));
        cmd.Parameters.AddWithValue("name", TenantRules.CheckName(name));
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<TenantChange> ChangeStatusAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string id, TenantStatus status, CancellationToken cancellationToken)
    {
        TenantRules.CheckId(id);
        return await ChangeRegisteredAsync(connection, tx, id, current => current with { Status = status }, cancellationToken);
    }

    private static Task<TenantChange> ChangeRegisteredAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        string id, Func<TenantRow, TenantRow> change, CancellationToken cancellationToken) =>
        ChangeAsync(connection, tx, id, current => current switch
        {
            null => throw TenantErrors.NotFound(id),
            { Status: TenantStatus.Deleted } => throw TenantErrors.Deleted(id),
            _ => change(current.Row),
        }, cancellationToken);

    /// <summary>
    /// Reads the tenant under a row lock, asks <paramref name="decide"/> what it should become, and writes that
    /// unless it equals the current row, so two changes of one tenant never interleave.
    /// </summary>
    private static async Task<TenantChange> ChangeAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        string id, Func<TenantDetails?, TenantRow> decide, CancellationToken cancellationToken)
    {
        // A new id has no row to lock: if another transaction inserts it between our read and our insert, the
        // insert does nothing (rather than abort the caller's transaction) and a second round decides again on
        // the row that won, now locked.
        for (var round = 1; ; round++)
        {
            var current = await TenantRows.FindAsync(connection, tx, id, forUpdate: true, cancellationToken);
            var next = decide(current);
            if (current is not null && next == current.Row) return new TenantChange(current, TenantChangeKind.Unchanged);

            var written = await WriteAsync(connection, tx, id, next, insert: current is null, cancellationToken);
            if (written is not null)
            {
                var kind = current is null ? TenantChangeKind.Registered
                    : current.Status == TenantStatus.Deleted && next.Status != TenantStatus.Deleted ? TenantChangeKind.Reactivated
                    : TenantChangeKind.Changed;
                return new TenantChange(written, kind);
            }
            if (round == 2) throw new InvalidOperationException($"Tenant '{id}' could be neither inserted nor read; was it deleted outright?");
        }
    }

    /// <summary>Inserts or updates the row; null when the insert lost to another registration of the id.</summary>
    private static async Task<TenantDetails?> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        string id, TenantRow row, bool insert, CancellationToken cancellationToken)
    {
        await using var write = new NpgsqlCommand(insert ? Insert : Update, connection, tx);
        write.Parameters.AddWithValue("id", id);
        write.Parameters.AddWithValue("name", row.Name);
        write.Parameters.AddWithValue("status", row.Status.ToText());
        write.Parameters.AddWithValue("weight", row.Limits.Weight);
        write.Parameters.Add(Nullable("concurrency", NpgsqlDbType.Integer, row.Limits.Concurrency));
        write.Parameters.AddWithValue("ordering", row.Limits.Ordering.ToText());
        write.Parameters.Add(Nullable("rate", NpgsqlDbType.Double, row.Limits.RatePerSecond));
        write.Parameters.Add(Nullable("depth", NpgsqlDbType.Integer, row.Limits.MaxQueueDepth));
        write.Parameters.Add(Nullable("budget", NpgsqlDbType.Bigint, row.Limits.MonthlyBudget));
        await using var reader = await write.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? TenantRows.Read(reader) : null;
    }

    private const string Insert = $"""
        INSERT INTO tenants (id, name, status, weight, concurrency, ordering, rate_limit_per_second, max_queue_depth, monthly_budget)
        VALUES (@id, @name, @status, @weight, @concurrency, @ordering, @rate, @depth, @budget)
        ON CONFLICT (id) DO NOTHING
        RETURNING {TenantRows.Columns}
        """;

    private const string Update = $"""
        UPDATE tenants SET name = @name, status = @status, weight = @weight, concurrency = @concurrency, ordering = @ordering,
            rate_limit_per_second = @rate, max_queue_depth = @depth, monthly_budget = @budget, updated_at = now()
        WHERE id = @id
        RETURNING {TenantRows.Columns}
        """;

    private static NpgsqlParameter Nullable<T>(string name, NpgsqlDbType type, T? value) where T : struct =>
        new(name, type) { Value = value is { } v ? v : DBNull.Value };
}
