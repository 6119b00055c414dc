using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Agents.Storage;

/// <summary>
/// A database shaped to mislead a generic plan: one large tenant holding most rows of every table a
/// sync touches, and many tenants of one row each, so that "the average tenant" is tiny. A plan that
/// reads a tenant's rows and picks the keys out afterwards looks cheapest here, and is ruinous for the
/// large tenant. Built once for the tests of a class; they only read it, or change it in transactions
/// they roll back.
/// </summary>
public sealed class SkewedFleet : IAsyncLifetime
{
    public const string Large = "large";
    public const int LargeProducts = 20_000;
    public const int SmallTenants = 20_000;

    internal TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await SeedAsync(Database);
        await Database.ExecuteAsync("ANALYZE");
    }

    /// <summary>Fills a migrated, empty database with the fleet (without analysing it).</summary>
    internal static async Task SeedAsync(TestDatabase database)
    {
        await database.ExecuteAsync($"""
            INSERT INTO tenants (id) SELECT '{Large}' UNION ALL SELECT 'small-' || g FROM generate_series(1, {SmallTenants}) g ON CONFLICT DO NOTHING;
            INSERT INTO channels (tenant_id, id, type) SELECT '{Large}', c, 'wix' FROM (VALUES ('north'), ('south')) v(c);
            INSERT INTO channels (tenant_id, id, type) SELECT id, 'north', 'wix' FROM tenants WHERE id <> '{Large}';
            INSERT INTO products (tenant_id, id, stock) SELECT '{Large}', 'p' || g, 10 FROM generate_series(1, {LargeProducts}) g;
            INSERT INTO products (tenant_id, id, stock) SELECT id, 'p1', 10 FROM tenants WHERE id <> '{Large}';
            INSERT INTO product_channel_mappings (tenant_id, product_id, channel_id, external_id)
                SELECT p.tenant_id, p.id, c.id, c.id || '-' || p.id FROM products p JOIN channels c ON c.tenant_id = p.tenant_id;
            INSERT INTO sync_events (tenant_id, product_id, source_event_id, quantity, completed_at)
                SELECT tenant_id, id, 'e-' || id, 1, CASE WHEN tenant_id = '{Large}' THEN now() END FROM products;
            INSERT INTO sync_events (tenant_id, product_id, source_event_id, quantity) SELECT tenant_id, id, 'f-' || id, 1 FROM products WHERE tenant_id = '{Large}';
            INSERT INTO sync_pending (tenant_id, product_id, due_at) SELECT tenant_id, id, now() FROM products;
            INSERT INTO alerts (tenant_id, kind, subject, message) SELECT '{Large}', 'low_stock', 'p' || g, 'low' FROM generate_series(1, {LargeProducts}) g;
            """);
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();
}
