namespace Fairlane.Agents.Catalog;

/// <summary>Why a catalogue request was refused; the admin API and the CLI map each to a status or exit code.</summary>
internal enum CatalogProblem
{
    /// <summary>A value is missing, out of range or malformed; <see cref="CatalogException.Field"/> names it.</summary>
    Invalid,

    /// <summary>The tenant, product, channel or mapping does not exist.</summary>
    NotFound,

    /// <summary>The request contradicts what is stored (a deleted tenant, a product already mapped on the channel).</summary>
    Conflict,
}

/// <summary>A refused catalogue request. Built by <see cref="CatalogErrors"/> only, so the messages stay alike.</summary>
internal sealed class CatalogException(CatalogProblem problem, string? fieldName, string message) : Exception(message)
{
    public CatalogProblem Problem => problem;

    /// <summary>The request field at fault (its JSON name, prefixed by its place in a bulk import), if one is.</summary>
    public string? Field => fieldName;
}

/// <summary>Every catalogue error, each saying what to do about it. Credentials never appear in one.</summary>
internal static class CatalogErrors
{
    public static CatalogException Invalid(string field, string problem) => new(CatalogProblem.Invalid, field, $"{field} {problem}");

    public static CatalogException TenantNotFound(string tenant) =>
        new(CatalogProblem.NotFound, "tenant", $"Tenant '{tenant}' is not registered; register it before giving it a catalogue.");

    public static CatalogException TenantDeleted(string tenant) =>
        new(CatalogProblem.Conflict, "tenant", $"Tenant '{tenant}' is unregistered; register it again before changing its catalogue.");

    public static CatalogException NotFound(string field, string what, string id) =>
        new(CatalogProblem.NotFound, field, $"{what} '{id}' does not exist in this tenant's catalogue.");

    public static CatalogException AlreadyMapped(string field, string productId, string channelId, string externalId) =>
        new(CatalogProblem.Conflict, field,
            $"Product '{productId}' is already mapped on channel '{channelId}' (item '{externalId}'); a product has one item per channel. " +
            "Delete that mapping first.");
}
