namespace Fairlane.Agents.Tenants;

/// <summary>
/// Why a tenant lifecycle change was refused. The admin API and the CLI map each to a status or exit code; the
/// control-topic handler dead-letters Invalid commands and takes the others as commands with nothing to change.
/// </summary>
internal enum TenantAdminProblem
{
    /// <summary>A value is out of range or malformed; <see cref="TenantAdminException.Field"/> names it.</summary>
    Invalid,

    /// <summary>No tenant has that id.</summary>
    NotFound,

    /// <summary>The tenant's state does not allow the request (already registered, deleted).</summary>
    Conflict,
}

/// <summary>A refused administration request. Built by <see cref="TenantErrors"/> only, so the messages stay alike.</summary>
internal sealed class TenantAdminException(TenantAdminProblem problem, string? fieldName, string message) : Exception(message)
{
    public TenantAdminProblem Problem => problem;

    /// <summary>The request field at fault (the admin API's JSON name), if one is.</summary>
    public string? Field => fieldName;
}

/// <summary>Every administration error, each saying what to do about it.</summary>
internal static class TenantErrors
{
    public static TenantAdminException Invalid(string field, string problem) =>
        new(TenantAdminProblem.Invalid, field, $"{field} {problem}");

    public static TenantAdminException NotFound(string id) =>
        new(TenantAdminProblem.NotFound, null, $"Tenant '{id}' is not registered.");

    public static TenantAdminException AlreadyRegistered(TenantDetails tenant) =>
        new(TenantAdminProblem.Conflict, "id",
            $"Tenant '{tenant.Id}' is already registered (status {tenant.Status.ToText()}); change its limits instead of registering it again.");

    public static TenantAdminException Deleted(string id) =>
        new(TenantAdminProblem.Conflict, null, $"Tenant '{id}' is unregistered; register it again to reactivate it.");

    public static TenantAdminException NothingToChange() =>
        new(TenantAdminProblem.Invalid, "limits",
            $"limits: nothing to change; give at least one of {string.Join(", ", TenantRules.LimitFields)}.");
}
