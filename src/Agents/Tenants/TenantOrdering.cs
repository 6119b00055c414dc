namespace Fairlane.Agents.Tenants;

/// <summary>What a tenant's events must keep in order, stored as text in <c>tenants.ordering</c>.</summary>
public enum TenantOrdering
{
    /// <summary>Each item (ordering key) in offset order, one event of it at a time; items run side by side.</summary>
    Item,

    /// <summary>The whole tenant in offset order, one event at a time.</summary>
    Tenant,
}

/// <summary>The one mapping between <see cref="TenantOrdering"/> and the column's text (its CHECK allows exactly these).</summary>
public static class TenantOrderingText
{
    public static string ToText(this TenantOrdering ordering) => ordering switch
    {
        TenantOrdering.Item => "item",
        TenantOrdering.Tenant => "tenant",
        _ => throw new ArgumentOutOfRangeException(nameof(ordering), ordering, $"{(int)ordering} is not a tenant ordering."),
    };

    /// <summary>The ordering the text names, or null when it names none.</summary>
    public static TenantOrdering? TryParse(string? text) => text switch
    {
        "item" => TenantOrdering.Item,
        "tenant" => TenantOrdering.Tenant,
        _ => null,
    };

    /// <exception cref="FormatException">The stored text is not item or tenant: the schema is newer than this node.</exception>
    public static TenantOrdering Parse(string text) =>
        TryParse(text) ?? throw new FormatException($"Tenant ordering '{text}' is not one of item, tenant; is the database schema newer than this node?");
}

/// <summary>Writes and reads an ordering in JSON as the column's text.</summary>
internal sealed class TenantOrderingJsonConverter()
    : ColumnTextJsonConverter<TenantOrdering>("tenant ordering", TenantOrderingText.ToText, TenantOrderingText.Parse);
