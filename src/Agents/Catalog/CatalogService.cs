using Fairlane.Agents.Channels;
using Fairlane.Agents.Storage;
using Fairlane.Contracts;
using Npgsql;

namespace Fairlane.Agents.Catalog;

/// <summary>
/// A tenant's catalogue for the admin API and the CLI: each request validates its input, then runs in one
/// transaction bound to the tenant (row-level security), after checking the tenant is registered. A bulk
/// import is one transaction: all of it is written, or none.
/// </summary>
internal sealed class CatalogService(TenantDatabase database, CredentialProtector protector)
{
    private readonly CatalogChannels _channels = new(protector);

    public Task<CatalogProduct> UpsertProductAsync(string tenant, ProductDefinition product, CancellationToken ct)
    {
        CatalogRules.Check("", product);
        return WriteAsync(tenant, (c, tx, t) => CatalogStore.UpsertProductAsync(c, tx, tenant, product, t), ct);
    }

    public Task<CatalogProduct> GetProductAsync(string tenant, string id, CancellationToken ct)
    {
        CatalogRules.CheckId("productId", id);
        return ReadAsync(tenant, async (c, tx, t) => await CatalogStore.FindProductAsync(c, tx, tenant, id, t)
            ?? throw CatalogErrors.NotFound("productId", "Product", id), ct);
    }

    /// <summary>Deletes the product and its mappings.</summary>
    public Task DeleteProductAsync(string tenant, string id, CancellationToken ct)
    {
        CatalogRules.CheckId("productId", id);
        return WriteAsync(tenant, async (c, tx, t) => await CatalogStore.DeleteProductAsync(c, tx, tenant, id, t)
            ? true : throw CatalogErrors.NotFound("productId", "Product", id), ct);
    }

    public Task<CatalogChannel> UpsertChannelAsync(string tenant, ChannelDefinition channel, CancellationToken ct)
    {
        CatalogRules.Check("", channel);
        return WriteAsync(tenant, (c, tx, t) => _channels.UpsertAsync(c, tx, tenant, channel, t), ct);
    }

    public Task<CatalogChannel> GetChannelAsync(string tenant, string id, CancellationToken ct)
    {
        CatalogRules.CheckId("channelId", id);
        return ReadAsync(tenant, async (c, tx, t) => await CatalogChannels.FindAsync(c, tx, tenant, id, t)
            ?? throw CatalogErrors.NotFound("channelId", "Channel", id), ct);
    }

    /// <summary>Deletes the channel and its mappings.</summary>
    public Task DeleteChannelAsync(string tenant, string id, CancellationToken ct)
    {
        CatalogRules.CheckId("channelId", id);
        return WriteAsync(tenant, async (c, tx, t) => await CatalogChannels.DeleteAsync(c, tx, tenant, id, t)
            ? true : throw CatalogErrors.NotFound("channelId", "Channel", id), ct);
    }

    public Task<List<CatalogMapping>> MappingsAsync(string tenant, CancellationToken ct) =>
        ReadAsync(tenant, (c, tx, t) => CatalogStore.MappingsAsync(c, tx, tenant, t), ct);

    public Task<CatalogMapping> UpsertMappingAsync(string tenant, CatalogMapping mapping, CancellationToken ct)
    {
        CatalogRules.Check("", mapping);
        return WriteAsync(tenant, async (c, tx, t) =>
        {
            await MapAsync(c, tx, tenant, "", mapping, t);
            return mapping;
        }, ct);
    }

    public Task DeleteMappingAsync(string tenant, string channelId, string externalId, CancellationToken ct)
    {
        CatalogRules.CheckId("channelId", channelId);
        CatalogRules.CheckExternalId("externalId", externalId);
        return WriteAsync(tenant, async (c, tx, t) => await CatalogStore.DeleteMappingAsync(c, tx, tenant, channelId, externalId, t)
            ? true : throw CatalogErrors.NotFound("externalId", $"Item on channel '{channelId}'", externalId), ct);
    }

    /// <summary>Upserts everything in the import, channels first, so its mappings may name its own products and channels.</summary>
    public Task<CatalogImportResult> ImportAsync(string tenant, CatalogImport import, CancellationToken ct)
    {
        for (var i = 0; i < import.Channels.Count; i++) CatalogRules.Check($"channels[{i}].", import.Channels[i]);
        for (var i = 0; i < import.Products.Count; i++) CatalogRules.Check($"products[{i}].", import.Products[i]);
        for (var i = 0; i < import.Mappings.Count; i++) CatalogRules.Check($"mappings[{i}].", import.Mappings[i]);
        return WriteAsync(tenant, async (c, tx, t) =>
        {
            foreach (var channel in import.Channels) await _channels.UpsertAsync(c, tx, tenant, channel, t);
            foreach (var product in import.Products) await CatalogStore.UpsertProductAsync(c, tx, tenant, product, t);
            for (var i = 0; i < import.Mappings.Count; i++) await MapAsync(c, tx, tenant, $"mappings[{i}].", import.Mappings[i], t);
            return new CatalogImportResult(tenant, import.Products.Count, import.Channels.Count, import.Mappings.Count);
        }, ct);
    }

    public Task<CatalogSnapshot> ShowAsync(string tenant, CancellationToken ct) =>
        ReadAsync(tenant, async (c, tx, t) => new CatalogSnapshot(tenant, await CatalogStore.ProductsAsync(c, tx, tenant, t),
            await CatalogChannels.AllAsync(c, tx, tenant, t), await CatalogStore.MappingsAsync(c, tx, tenant, t)), ct);

    // The foreign keys would refuse an unknown product or channel too, but without naming the field.
    internal static async Task MapAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, string prefix, CatalogMapping m, CancellationToken ct)
    {
        if (await CatalogStore.FindProductAsync(c, tx, tenant, m.ProductId, ct) is null)
            throw CatalogErrors.NotFound(prefix + "productId", "Product", m.ProductId);
        if (await CatalogChannels.FindAsync(c, tx, tenant, m.ChannelId, ct) is null)
            throw CatalogErrors.NotFound(prefix + "channelId", "Channel", m.ChannelId);
        if (await CatalogStore.OtherItemOfAsync(c, tx, tenant, m.ProductId, m.ChannelId, m.ExternalId, ct) is { } other)
            throw CatalogErrors.AlreadyMapped(prefix + "productId", m.ProductId, m.ChannelId, other);
        await CatalogStore.UpsertMappingAsync(c, tx, tenant, m, ct);
    }

    private Task<T> ReadAsync<T>(string tenant, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken ct) =>
        InTenantAsync(tenant, write: false, work, ct);

    private Task<T> WriteAsync<T>(string tenant, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken ct) =>
        InTenantAsync(tenant, write: true, work, ct);

    private Task<T> InTenantAsync<T>(string tenant, bool write, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken ct)
    {
        if (!TenantIds.IsValid(tenant))
            throw CatalogErrors.Invalid("tenant", $"must be 1-{TenantIds.MaxLength} characters of letters, digits, '.', '_' or '-'; got '{tenant}'.");
        return database.InTenantTransactionAsync(tenant, async (c, tx, t) =>
        {
            // Under row-level security the bound tenant sees its own tenants row and no other.
            await using (var cmd = new NpgsqlCommand("SELECT status FROM tenants WHERE id = $1", c, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = tenant });
                var status = (string?)await cmd.ExecuteScalarAsync(t) ?? throw CatalogErrors.TenantNotFound(tenant);
                if (write && status == "deleted") throw CatalogErrors.TenantDeleted(tenant);
            }
            return await work(c, tx, t);
        }, ct);
    }
}
