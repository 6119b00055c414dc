namespace Fairlane.Agents.Tenants;

/// <summary>A tenant's lifecycle state, stored as text in <c>tenants.status</c>.</summary>
public enum TenantStatus
{
    /// <summary>Its events are processed.</summary>
    Active,

    /// <summary>Its events wait in the park until it is resumed.</summary>
    Paused,

    /// <summary>Unregistered: its events are dead-lettered; its rows are kept.</summary>
    Deleted,
}

/// <summary>
/// The one mapping between <see cref="TenantStatus"/> and the column's text (the table's CHECK constraint
/// allows exactly these values). The admin API, the CLI and the engine view show the same text.
/// </summary>
public static class TenantStatusText
{
    public static string ToText(this TenantStatus status) => status switch
    {
        TenantStatus.Active => "active",
        TenantStatus.Paused => "paused",
        TenantStatus.Deleted => "deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, $"{(int)status} is not a tenant status."),
    };

    /// <exception cref="FormatException">The text is not one of active, paused, deleted; the message names it.</exception>
    public static TenantStatus Parse(string text) => text switch
    {
        "active" => TenantStatus.Active,
        "paused" => TenantStatus.Paused,
        "deleted" => TenantStatus.Deleted,
        // A value the schema does not allow means the schema and this code disagree: fail rather than guess.
        _ => throw new FormatException($"Tenant status '{text}' is not one of active, paused, deleted; is the database schema newer than this node?"),
    };
}

/// <summary>Writes and reads a status in JSON as the column's text, so API clients see "paused", not "Paused" or 1.</summary>
internal sealed class TenantStatusJsonConverter()
    : ColumnTextJsonConverter<TenantStatus>("tenant status", TenantStatusText.ToText, TenantStatusText.Parse);
