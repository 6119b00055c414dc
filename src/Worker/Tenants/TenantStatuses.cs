namespace Fairlane.Worker.Tenants;

/// <summary>The values of <c>tenants.status</c> (the table's CHECK constraint allows exactly these).</summary>
internal static class TenantStatuses
{
    /// <summary>Its events are processed.</summary>
    public const string Active = "active";

    /// <summary>Its events wait in the park until it is resumed.</summary>
    public const string Paused = "paused";

    /// <summary>Unregistered: its events are dead-lettered; its rows are kept.</summary>
    public const string Deleted = "deleted";
}
