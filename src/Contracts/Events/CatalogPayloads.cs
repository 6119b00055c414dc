namespace Fairlane.Contracts.Events;

/// <summary>
/// A product defined or replaced by a producer that owns the catalogue (control topic). Channels are not
/// among the catalogue events: they carry credentials, which never travel over Kafka.
/// </summary>
public sealed record CatalogProductUpserted
{
    /// <summary>The product's id in the tenant's catalogue.</summary>
    public required string ProductId { get; init; }

    /// <summary>The stock-keeping unit; left out: empty.</summary>
    public string? Sku { get; init; }

    /// <summary>The display name; left out: empty.</summary>
    public string? Name { get; init; }

    /// <summary>The stock to set; left out, the product's live stock stays (0 for a new product).</summary>
    public int? Stock { get; init; }

    /// <summary>Units held back from the channels, 0 or more (default 0).</summary>
    public int? BufferStock { get; init; }

    /// <summary>Low-stock alert threshold, 0 or more; left out: none.</summary>
    public int? LowStockThreshold { get; init; }
}

/// <summary>A product removed, with its mappings; removing one that is not there does nothing.</summary>
public sealed record CatalogProductDeleted
{
    /// <summary>The product's id in the tenant's catalogue.</summary>
    public required string ProductId { get; init; }
}

/// <summary>A channel's item mapped to a product; the channel must exist (made through the admin API or CLI).</summary>
public sealed record CatalogMappingUpserted
{
    /// <summary>The channel the item is on.</summary>
    public required string ChannelId { get; init; }

    /// <summary>The item's id on the channel.</summary>
    public required string ExternalId { get; init; }

    /// <summary>The product the item is.</summary>
    public required string ProductId { get; init; }
}

/// <summary>A channel's item unmapped; unmapping one that is not mapped does nothing.</summary>
public sealed record CatalogMappingDeleted
{
    /// <summary>The channel the item is on.</summary>
    public required string ChannelId { get; init; }

    /// <summary>The item's id on the channel.</summary>
    public required string ExternalId { get; init; }
}
