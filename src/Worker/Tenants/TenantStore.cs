using Npgsql;
using NpgsqlTypes;

namespace Fairlane.Worker.Tenants;

/// <summary>What a tenant row should become: its name, status and limits.</summary>
internal sealed record TenantRow(string Name, string Status, TenantLimitValues Limits);

/// <summary>
/// The <c>tenants</c> table for administration. It uses the schema owner's connection: the table's
/// row-level security shows the application role only the tenant its transaction is bound to.
/// </summary>
internal sealed class TenantStore(NpgsqlDataSource owner)
{
    private const string Columns =
        "id, name, status, weight, concurrency, rate_limit_per_second, max_queue_depth, monthly_budget, created_at, updated_at";

    public async Task<List<TenantDetails>> ListAsync(CancellationToken cancellationToken)
    {
        var tenants = new List<TenantDetails>();
        await using var cmd = owner.CreateCommand($"SELECT {Columns} FROM tenants ORDER BY id");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tenants.Add(Read(reader));
        return tenants;
    }

    public async Task<TenantDetails?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand($"SELECT {Columns} FROM tenants WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>
    /// Reads the tenant under a row lock, asks <paramref name="decide"/> what it should become (null: leave
    /// it), and writes that in the same transaction, so two operators' changes never interleave. Returns
    /// the tenant as it is afterwards and whether it was written.
    /// </summary>
    /// <exception cref="TenantAdminException">From <paramref name="decide"/>, or Conflict when another
    /// registration of the same new id won the race.</exception>
    public async Task<(TenantDetails Tenant, bool Written)> ChangeAsync(
        string id, Func<TenantDetails?, TenantRow?> decide, CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        TenantDetails? current;
        await using (var select = new NpgsqlCommand($"SELECT {Columns} FROM tenants WHERE id = @id FOR UPDATE", connection, tx))
        {
            select.Parameters.AddWithValue("id", id);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            current = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }
        if (decide(current) is not { } row) return (current ?? throw TenantErrors.NotFound(id), false);

        await using var write = new NpgsqlCommand(current is null ? Insert : Update, connection, tx);
        write.Parameters.AddWithValue("id", id);
        write.Parameters.AddWithValue("name", row.Name);
        write.Parameters.AddWithValue("status", row.Status);
        write.Parameters.AddWithValue("weight", row.Limits.Weight);
        write.Parameters.AddWithValue("concurrency", row.Limits.Concurrency);
        write.Parameters.Add(Nullable("rate", NpgsqlDbType.Double, row.Limits.RatePerSecond));
        write.Parameters.Add(Nullable("depth", NpgsqlDbType.Integer, row.Limits.MaxQueueDepth));
        write.Parameters.Add(Nullable("budget", NpgsqlDbType.Bigint, row.Limits.MonthlyBudget));
        try
        {
            TenantDetails written;
            await using (var reader = await write.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                written = Read(reader);
            }
            await tx.CommitAsync(cancellationToken);
            return (written, true);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Registered by someone else between our read (nothing to lock yet) and our insert.
            throw TenantErrors.AlreadyRegistered(await FindAsync(id, cancellationToken) ?? throw TenantErrors.NotFound(id));
        }
    }

    private const string Insert = $"""
        INSERT INTO tenants (id, name, status, weight, concurrency, rate_limit_per_second, max_queue_depth, monthly_budget)
        VALUES (@id, @name, @status, @weight, @concurrency, @rate, @depth, @budget)
        RETURNING {Columns}
        """;

    private const string Update = $"""
        UPDATE tenants SET name = @name, status = @status, weight = @weight, concurrency = @concurrency,
            rate_limit_per_second = @rate, max_queue_depth = @depth, monthly_budget = @budget, updated_at = now()
        WHERE id = @id
        RETURNING {Columns}
        """;

    private static NpgsqlParameter Nullable<T>(string name, NpgsqlDbType type, T? value) where T : struct =>
        new(name, type) { Value = value is { } v ? v : DBNull.Value };

    private static TenantDetails Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4),
        r.IsDBNull(5) ? null : r.GetDouble(5),
        r.IsDBNull(6) ? null : r.GetInt32(6),
        r.IsDBNull(7) ? null : r.GetInt64(7),
        r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9));
}
