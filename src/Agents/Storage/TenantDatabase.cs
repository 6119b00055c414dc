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

    /// <summary>
    /// Like the overload above, for work that sends the binding in one round trip
    /// with its own first statements: it gets the binding as a batch command to put first in its first
    /// batch. A work that forgot it would see nothing: with no tenant bound, every policy matches no row.
    /// </summary>
    public async Task<T> InTenantTransactionAsync<T>(
        string tenantId,
        Func<NpgsqlConnection, NpgsqlTransaction, NpgsqlBatchCommand, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, tx, BindCommand(tenantId), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// One transaction for work over several tenants in turn (a fleet job's share of each): the work
    /// binds the transaction to each tenant (<see cref="BindTenantAsync"/>) before that tenant's
    /// statements, so every statement still runs bound to exactly one tenant. Until it first binds,
    /// row-level security shows it nothing.
    /// </summary>
    public async Task<T> InTransactionForTenantsAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>The statement that binds a transaction to a tenant, for a batch (it returns one row).</summary>
    public static NpgsqlBatchCommand BindCommand(string tenantId) =>
        BatchCommand.Of("SELECT set_config('fairlane.tenant_id', $1, true)", tenantId);

    /// <summary>Binds an open transaction to a tenant until it ends (set_config with is_local = true).</summary>
    public static async Task BindTenantAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { BindCommand(tenantId) } };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
