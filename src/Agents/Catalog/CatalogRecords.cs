using Fairlane.Agents.Channels;

namespace Fairlane.Agents.Catalog;

/// <summary>A product as the catalogue stores it.</summary>
public sealed record CatalogProduct(string Id, string Sku, string Name, int Stock, int BufferStock, int? LowStockThreshold, DateTimeOffset UpdatedAt);

/// <summary>
/// A product to create or replace. <see cref="Stock"/> null keeps a product's live stock (0 for a new one): the
/// catalogue's owner describes products, while the channels move their stock.
/// </summary>
public sealed record ProductDefinition(string Id, string Sku, string Name, int? Stock, int BufferStock, int? LowStockThreshold);

/// <summary>A channel as the catalogue shows it: whether it has credentials, never what they are.</summary>
public sealed record CatalogChannel(string Id, string Type, string Name, string BaseUrl, string Status, bool HasCredentials);

/// <summary>What a channel write does to the stored credentials.</summary>
public enum CredentialsChange
{
    /// <summary>Left out: the stored credentials stay (a client cannot read them back to send them again).</summary>
    Keep,

    /// <summary>Replaced by <see cref="ChannelDefinition.Credentials"/>.</summary>
    Set,

    /// <summary>Removed: the channel has none.</summary>
    Clear,
}

/// <summary>A channel to create or replace; <see cref="ToString"/> never shows the credentials.</summary>
public sealed record ChannelDefinition(string Id, string Type, string Name, string BaseUrl, CredentialsChange CredentialsChange,
    ChannelCredentials? Credentials = null)
{
    public override string ToString() => $"ChannelDefinition {{ Id = {Id}, Type = {Type}, Credentials = {CredentialsChange} }}";
}

/// <summary>A channel's item (<see cref="ExternalId"/> on channel <see cref="ChannelId"/>) mapped to a product.</summary>
public sealed record CatalogMapping(string ChannelId, string ExternalId, string ProductId);

/// <summary>A whole or partial catalogue to upsert at once (the bulk import): channels, then products, then mappings.</summary>
public sealed record CatalogImport(IReadOnlyList<ProductDefinition> Products, IReadOnlyList<ChannelDefinition> Channels,
    IReadOnlyList<CatalogMapping> Mappings);

/// <summary>How many rows an import wrote, by kind.</summary>
public sealed record CatalogImportResult(string Tenant, int Products, int Channels, int Mappings);

/// <summary>A tenant's whole catalogue, each list ordered by id.</summary>
public sealed record CatalogSnapshot(string Tenant, IReadOnlyList<CatalogProduct> Products, IReadOnlyList<CatalogChannel> Channels,
    IReadOnlyList<CatalogMapping> Mappings);
