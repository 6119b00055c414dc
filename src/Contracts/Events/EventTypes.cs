namespace Fairlane.Contracts.Events;

/// <summary>The event types, and the topic each belongs on.</summary>
public static class EventTypes
{
    /// <summary>A channel reported a stock change (payload <see cref="StockChanged"/>), on the webhooks topic.</summary>
    public const string StockChanged = "stock.changed";

    /// <summary>Push a product's stock to its other channels (payload <see cref="SyncRequested"/>), on the sync topic.</summary>
    public const string SyncRequested = "sync.requested";

    /// <summary>Reconcile one tenant (payload <see cref="ReconcileTenant"/>), on the guardian topic.</summary>
    public const string ReconcileTenant = "guardian.reconcile";

    /// <summary>Run alert checks (payload <see cref="AlertCheck"/>), on the alerts topic.</summary>
    public const string AlertCheck = "alert.check";

    /// <summary>A tenant lifecycle command (payload <see cref="TenantCommand"/>), on the control topic.</summary>
    public const string TenantCommand = "tenant.command";

    /// <summary>A catalogue product defined or replaced (payload <see cref="CatalogProductUpserted"/>), on the control topic.</summary>
    public const string CatalogProductUpserted = "catalog.product.upserted";

    /// <summary>A catalogue product removed (payload <see cref="CatalogProductDeleted"/>), on the control topic.</summary>
    public const string CatalogProductDeleted = "catalog.product.deleted";

    /// <summary>A channel item mapped to a product (payload <see cref="CatalogMappingUpserted"/>), on the control topic.</summary>
    public const string CatalogMappingUpserted = "catalog.mapping.upserted";

    /// <summary>A channel item unmapped (payload <see cref="CatalogMappingDeleted"/>), on the control topic.</summary>
    public const string CatalogMappingDeleted = "catalog.mapping.deleted";
}

/// <summary>Payload schema versions this build reads and writes.</summary>
public static class SchemaVersions
{
    /// <summary>The version this build writes.</summary>
    public const int Current = 1;

    /// <summary>Whether this build can read a payload of the given version.</summary>
    public static bool IsSupported(int version) => version == Current;
}
