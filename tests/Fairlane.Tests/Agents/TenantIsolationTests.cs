using Fairlane.Agents.Storage;
using Fairlane.Tests.Infrastructure;
using Npgsql;
using Fairlane.Agents.Handling;
using Fairlane.Worker.Pipeline;

namespace Fairlane.Tests.Agents;

/// <summary>Tenant isolation is a security boundary: row-level security holds even when a query forgets its filter.</summary>
[Trait("Category", "Integration")]
public sealed class TenantIsolationTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private TenantDatabase _tenants = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _tenants = new TenantDatabase(_db.App);
        // Seed as the owner (fleet-wide role): two tenants with one product each.
        await using var cmd = _db.Owner.CreateCommand("""
            INSERT INTO tenants (id) VALUES ('tenant-a'), ('tenant-b');
            INSERT INTO products (tenant_id, id, stock) VALUES ('tenant-a', 'p1', 10), ('tenant-b', 'p1', 20);
            INSERT INTO processed_events (tenant_id, event_id, topic, partition, "offset") VALUES ('tenant-b', 'e1', 't', 0, 0);
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<T> AsTenant<T>(string tenant, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work) =>
        _tenants.InTenantTransactionAsync(tenant, (c, tx, _) => work(c, tx), CancellationToken.None);

    private static async Task<long> Count(NpgsqlConnection c, NpgsqlTransaction tx, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<int> Execute(NpgsqlConnection c, NpgsqlTransaction tx, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        return await cmd.ExecuteNonQueryAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_query_without_tenant_filter_sees_only_the_bound_tenant()
    {
        Assert.Equal(1, await AsTenant("tenant-a", (c, tx) => Count(c, tx, "SELECT count(*) FROM products")));
        Assert.Equal(10, await AsTenant("tenant-a", async (c, tx) =>
        {
            await using var cmd = new NpgsqlCommand("SELECT sum(stock)::int FROM products", c, tx);
            return (int)(await cmd.ExecuteScalarAsync())!;
        }));
        Assert.Equal(1, await AsTenant("tenant-a", (c, tx) => Count(c, tx, "SELECT count(*) FROM tenants")));
        Assert.Equal(0, await AsTenant("tenant-a", (c, tx) => Count(c, tx, "SELECT count(*) FROM processed_events")));
    }

    [Fact(Timeout = 60_000)]
    public async Task Naming_another_tenant_explicitly_still_reads_nothing()
    {
        Assert.Equal(0, await AsTenant("tenant-a", (c, tx) => Count(c, tx, "SELECT count(*) FROM products WHERE tenant_id = 'tenant-b'")));
    }

    [Fact(Timeout = 60_000)]
    public async Task Updates_and_deletes_cannot_reach_another_tenants_rows()
    {
        Assert.Equal(0, await AsTenant("tenant-a", (c, tx) => Execute(c, tx, "UPDATE products SET stock = 0 WHERE tenant_id = 'tenant-b'")));
        Assert.Equal(0, await AsTenant("tenant-a", (c, tx) => Execute(c, tx, "DELETE FROM processed_events")));

        Assert.Equal(20, await _db.ScalarAsync<int>("SELECT stock FROM products WHERE tenant_id = 'tenant-b'"));
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM processed_events WHERE tenant_id = 'tenant-b'"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Inserting_a_row_for_another_tenant_is_refused()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            AsTenant("tenant-a", (c, tx) => Execute(c, tx, "INSERT INTO products (tenant_id, id) VALUES ('tenant-b', 'sneaky')")));
        Assert.Equal("42501", ex.SqlState); // new row violates row-level security policy
    }

    [Fact(Timeout = 60_000)]
    public async Task Moving_a_row_to_another_tenant_is_refused()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            AsTenant("tenant-a", (c, tx) => Execute(c, tx, "UPDATE products SET tenant_id = 'tenant-b' WHERE id = 'p1'")));
        Assert.Equal("42501", ex.SqlState);
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_a_bound_tenant_the_application_role_sees_nothing()
    {
        await using var cmd = _db.App.CreateCommand("SELECT count(*) FROM products");
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_binding_ends_with_the_transaction()
    {
        await using var connection = await _db.App.OpenConnectionAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await TenantDatabase.BindTenantAsync(connection, tx, "tenant-a", CancellationToken.None);
            Assert.Equal(1, await Count(connection, tx, "SELECT count(*) FROM products"));
            await tx.CommitAsync();
        }
        // Same pooled session, new transaction: nothing is visible until a tenant is bound again.
        await using var after = new NpgsqlCommand("SELECT count(*) FROM products", connection);
        Assert.Equal(0L, (long)(await after.ExecuteScalarAsync())!);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_processed_events_ledger_records_an_event_once_per_tenant()
    {
        var origin = new EventOrigin("t", 3, 42, DateTimeOffset.UtcNow);
        Assert.True(await AsTenant("tenant-a", (c, tx) => ProcessedEventLedger.TryRecordAsync(c, tx, "tenant-a", "e1", origin, CancellationToken.None)));
        Assert.False(await AsTenant("tenant-a", (c, tx) => ProcessedEventLedger.TryRecordAsync(c, tx, "tenant-a", "e1", origin, CancellationToken.None)));
        // tenant-b already has its own e1: ids are unique per tenant, not globally.
        Assert.False(await AsTenant("tenant-b", (c, tx) => ProcessedEventLedger.TryRecordAsync(c, tx, "tenant-b", "e1", origin, CancellationToken.None)));
        Assert.Equal(2L, await _db.ScalarAsync<long>("SELECT count(*) FROM processed_events"));
    }
}
