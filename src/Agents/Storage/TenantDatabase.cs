using Npgsql;

namespace Fairlane.Agents.Storage;

/// <summary>
/// Opens transactions bound to one tenant. The binding is the transaction-local setting
/// <c>fairlane.tenant_id</c> that every row-level security policy reads, so even a query that
/// forgets its tenant filter sees and changes only that tenant's rows.
/// </summary>
public sealed class TenantDatabase(NpgsqlDataSource dataSource)
{
    public NpgsqlDataSource DataSource => dataSource;

    public async Task<T> InTenantTransactionAsync<T>(
        string tenantId,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await BindTenantAsync(connection, tx, tenantId, cancellationToken);
        var result = await work(connection, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Binds an open transaction to a tenant until it ends (set_config with is_local = true).</summary>
    public static async Task BindTenantAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT set_config('fairlane.tenant_id', @tenant, true)", connection, tx);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
