using Npgsql;

namespace Fairlane.Agents.Tenants;

/// <summary>
/// Reads whole <c>tenants</c> rows for administration and for <see cref="TenantLifecycle"/>. Listing every
/// tenant needs the schema owner's connection: the table's row-level security shows the application role
/// only the tenant its transaction is bound to.
/// </summary>
internal static class TenantRows
{
    public const string Columns =
        "id, name, status, weight, concurrency, ordering, rate_limit_per_second, max_queue_depth, monthly_budget, created_at, updated_at";

    public static async Task<List<TenantDetails>> ListAsync(NpgsqlDataSource owner, CancellationToken cancellationToken)
    {
        var tenants = new List<TenantDetails>();
        await using var cmd = owner.CreateCommand($"SELECT {Columns} FROM tenants ORDER BY id");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tenants.Add(Read(reader));
        return tenants;
    }

    public static async Task<TenantDetails?> FindAsync(NpgsqlDataSource owner, string id, CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null, id, forUpdate: false, cancellationToken);
    }

    /// <summary>One tenant's row; <paramref name="forUpdate"/> locks it until the transaction ends.</summary>
    public static async Task<TenantDetails?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string id, bool forUpdate, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {Columns} FROM tenants WHERE id = @id" + (forUpdate ? " FOR UPDATE" : "");
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Reads a row selected (or returned) as <see cref="Columns"/>.</summary>
    public static TenantDetails Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), TenantStatusText.Parse(r.GetString(2)), r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetInt32(4),
        TenantOrderingText.Parse(r.GetString(5)),
        r.IsDBNull(6) ? null : r.GetDouble(6),
        r.IsDBNull(7) ? null : r.GetInt32(7),
        r.IsDBNull(8) ? null : r.GetInt64(8),
        r.GetFieldValue<DateTimeOffset>(9), r.GetFieldValue<DateTimeOffset>(10));
}
