using System.Text;
using Fairlane.Agents.Catalog;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Storage;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Agents;

/// <summary>The catalogue store against a real database under the app role: rows, encryption, RLS, field-naming errors.</summary>
[Trait("Category", "Integration")]
public sealed class CatalogServiceTests
{
    private const string Secret = "catalogue-secret-never-shown-5f1e";
    private static readonly CredentialProtector Protector = CredentialProtector.FromBase64(TestServers.CredentialKey);

    private static async Task<(TestDatabase Db, CatalogService Catalog)> StartAsync(params string[] tenants)
    {
        var db = await TestDatabase.CreateAsync();
        await db.RegisterTenantsAsync(tenants);
        return (db, new CatalogService(new TenantDatabase(db.App), Protector));
    }

    private static ChannelDefinition Wix(string id, CredentialsChange change = CredentialsChange.Set) =>
        new(id, ChannelTypes.Wix, "Wix shop", "https://wix.example/api", change, change == CredentialsChange.Set ? new(null, Secret) : null);

    [Fact(Timeout = 60_000)]
    public async Task Products_are_created_replaced_read_and_deleted_with_their_mappings()
    {
        var (db, catalog) = await StartAsync("acme");
        await using var _ = db;
        var ct = CancellationToken.None;

        await catalog.UpsertProductAsync("acme", new("p1", "SKU-1", "Mug", 10, 2, 3), ct);
        await db.ExecuteAsync("UPDATE products SET stock = 7 WHERE id = 'p1'"); // the channels moved it
        var replaced = await catalog.UpsertProductAsync("acme", new("p1", "SKU-1b", "Big mug", null, 1, null), ct);
        Assert.Equal(("SKU-1b", "Big mug", 7, 1, (int?)null), (replaced.Sku, replaced.Name, replaced.Stock, replaced.BufferStock, replaced.LowStockThreshold));
        Assert.Equal(7, await db.ScalarAsync<int>("SELECT stock FROM products WHERE tenant_id = 'acme' AND id = 'p1'"));
        await catalog.UpsertProductAsync("acme", new("p1", "SKU-1b", "Big mug", 4, 1, null), ct);
        Assert.Equal(4, (await catalog.GetProductAsync("acme", "p1", ct)).Stock);

        await catalog.UpsertChannelAsync("acme", Wix("wix"), ct);
        await catalog.UpsertMappingAsync("acme", new("wix", "W-1", "p1"), ct);
        Assert.Equal([new CatalogMapping("wix", "W-1", "p1")], await catalog.MappingsAsync("acme", ct));

        await catalog.DeleteProductAsync("acme", "p1", ct);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM products"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM product_channel_mappings"));
        var missing = await Assert.ThrowsAsync<CatalogException>(() => catalog.GetProductAsync("acme", "p1", ct));
        Assert.Equal(CatalogProblem.NotFound, missing.Problem);
    }

    [Fact(Timeout = 60_000)]
    public async Task Channel_credentials_are_stored_encrypted_kept_when_left_out_and_never_read_back()
    {
        var (db, catalog) = await StartAsync("acme");
        await using var _ = db;
        var ct = CancellationToken.None;

        var saved = await catalog.UpsertChannelAsync("acme", Wix("wix"), ct);
        Assert.True(saved.HasCredentials);
        var stored = await db.ScalarAsync<byte[]>("SELECT credentials FROM channels WHERE id = 'wix'");
        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(Secret, Protector.Unprotect(stored, new ChannelKey("acme", "wix")).Secret); // Sync can use them

        // A channel refused its credentials; saving it again (credentials left out) keeps them and makes it active.
        await db.ExecuteAsync("UPDATE channels SET status = 'auth_failed' WHERE id = 'wix'");
        var kept = await catalog.UpsertChannelAsync("acme", Wix("wix", CredentialsChange.Keep) with { Name = "renamed" }, ct);
        Assert.Equal(("renamed", "active", true), (kept.Name, kept.Status, kept.HasCredentials));
        Assert.Equal(stored, await db.ScalarAsync<byte[]>("SELECT credentials FROM channels WHERE id = 'wix'"));

        var cleared = await catalog.UpsertChannelAsync("acme", Wix("wix", CredentialsChange.Clear), ct);
        Assert.False(cleared.HasCredentials);
        Assert.True(await db.ScalarAsync<bool>("SELECT credentials IS NULL FROM channels WHERE id = 'wix'"));
        Assert.DoesNotContain(Secret, Wix("wix").ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_tenant_can_neither_read_nor_change_another_tenants_catalogue()
    {
        var (db, catalog) = await StartAsync("a", "b");
        await using var _ = db;
        var ct = CancellationToken.None;
        await catalog.ImportAsync("b", new([new("p1", "B-SKU", "B's", 5, 0, null)], [Wix("wix")], [new("wix", "W-1", "p1")]), ct);

        Assert.Empty((await catalog.ShowAsync("a", ct)).Products);
        Assert.Equal(CatalogProblem.NotFound, (await Assert.ThrowsAsync<CatalogException>(() => catalog.GetProductAsync("a", "p1", ct))).Problem);
        Assert.Equal(CatalogProblem.NotFound, (await Assert.ThrowsAsync<CatalogException>(() => catalog.DeleteProductAsync("a", "p1", ct))).Problem);
        Assert.Equal(CatalogProblem.NotFound, (await Assert.ThrowsAsync<CatalogException>(() => catalog.DeleteChannelAsync("a", "wix", ct))).Problem);
        // Mapping onto b's product from a names the product as unknown rather than reaching across.
        await catalog.UpsertChannelAsync("a", Wix("wix"), ct);
        var across = await Assert.ThrowsAsync<CatalogException>(() => catalog.UpsertMappingAsync("a", new("wix", "W-9", "p1"), ct));
        Assert.Equal("productId", across.Field);
        // a's product of the same id is a's own row; b's stays as it was.
        await catalog.UpsertProductAsync("a", new("p1", "A-SKU", "A's", 1, 0, null), ct);
        var theirs = await catalog.GetProductAsync("b", "p1", ct);
        Assert.Equal(("B-SKU", 5), (theirs.Sku, theirs.Stock));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM products") + await db.ScalarAsync<long>("SELECT count(*) FROM product_channel_mappings"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Bad_input_names_the_field_and_writes_nothing()
    {
        var (db, catalog) = await StartAsync("acme");
        await using var _ = db;
        var ct = CancellationToken.None;

        var import = new CatalogImport([new("p1", "", "", 1, 0, null), new("p2", "", "", 1, -1, null)], [], []);
        var bad = await Assert.ThrowsAsync<CatalogException>(() => catalog.ImportAsync("acme", import, ct));
        Assert.Equal(("products[1].bufferStock", CatalogProblem.Invalid), (bad.Field, bad.Problem));
        var badUrl = await Assert.ThrowsAsync<CatalogException>(() => catalog.UpsertChannelAsync("acme", Wix("w") with { BaseUrl = "ftp://x" }, ct));
        Assert.Equal("baseUrl", badUrl.Field);
        var badType = await Assert.ThrowsAsync<CatalogException>(() => catalog.UpsertChannelAsync("acme", Wix("w") with { Type = "shopify" }, ct));
        Assert.Equal("type", badType.Field);
        // A mapping to a product the import does not have fails the whole import: its products are not written either.
        var dangling = new CatalogImport([new("p1", "", "", 1, 0, null)], [Wix("wix")], [new("wix", "W-1", "nope")]);
        Assert.Equal("mappings[0].productId", (await Assert.ThrowsAsync<CatalogException>(() => catalog.ImportAsync("acme", dangling, ct))).Field);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM products"));
        Assert.Equal(CatalogProblem.NotFound,
            (await Assert.ThrowsAsync<CatalogException>(() => catalog.UpsertProductAsync("ghost", new("p1", "", "", 1, 0, null), ct))).Problem);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_product_has_one_item_per_channel_and_moving_an_item_forgets_its_readings()
    {
        var (db, catalog) = await StartAsync("acme");
        await using var _ = db;
        var ct = CancellationToken.None;
        await catalog.ImportAsync("acme", new([new("p1", "", "", 1, 0, null), new("p2", "", "", 1, 0, null)], [Wix("wix")],
            [new("wix", "W-1", "p1")]), ct);
        await db.ExecuteAsync("UPDATE product_channel_mappings SET last_sequence = 9, channel_stock = 1");

        var twice = await Assert.ThrowsAsync<CatalogException>(() => catalog.UpsertMappingAsync("acme", new("wix", "W-2", "p1"), ct));
        Assert.Equal((CatalogProblem.Conflict, "productId"), (twice.Problem, twice.Field));
        await catalog.UpsertMappingAsync("acme", new("wix", "W-1", "p2"), ct);
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT product_id = 'p2' AND last_sequence IS NULL AND channel_stock IS NULL FROM product_channel_mappings WHERE external_id = 'W-1'"));
    }
}
