using Fairlane.Contracts.Events;
using Npgsql;

namespace Fairlane.Agents.Tenants;

/// <summary>What a control-topic command did: whether the row changed (announce it), or why it can never apply.</summary>
internal readonly record struct TenantCommandResult(bool Changed, string? Refused);

/// <summary>
/// Turns a control-topic <see cref="TenantCommand"/> into a <see cref="TenantLifecycle"/> change of the tenant
/// whose transaction it runs in. Limits a command leaves out stay as they are (the contract has no way to clear
/// one). A command with nothing to change (pausing a paused tenant, updating an unknown or deleted one) is a
/// no-op, not an error; an invalid one is refused with the rule it breaks, to be dead-lettered.
/// </summary>
internal static class TenantCommands
{
    public static async Task<TenantCommandResult> ApplyAsync(TenantCommand command,
        NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            var limits = new TenantLimitsChange
            {
                Weight = command.Weight,
                Concurrency = KeepUnlessSet(command.Concurrency),
                Ordering = command.Ordering is null ? null
                    : TenantOrderingText.TryParse(command.Ordering) ?? throw TenantErrors.Invalid("ordering", $"must be item or tenant; got '{command.Ordering}'."),
                RatePerSecond = KeepUnlessSet(command.RatePerSecond),
                MaxQueueDepth = KeepUnlessSet(command.MaxQueueDepth),
                MonthlyBudget = KeepUnlessSet(command.MonthlyBudget),
            };
            var change = command.Command switch
            {
                "register" => await TenantLifecycle.RegisterAsync(connection, tx,
                    new TenantRegistration(tenantId, command.Name, limits), ReRegistration.ActivateAndMerge, cancellationToken),
                "update" => await TenantLifecycle.UpdateAsync(connection, tx, tenantId, command.Name, limits, cancellationToken),
                "pause" => await TenantLifecycle.PauseAsync(connection, tx, tenantId, cancellationToken),
                "resume" => await TenantLifecycle.ResumeAsync(connection, tx, tenantId, cancellationToken),
                "unregister" => await TenantLifecycle.UnregisterAsync(connection, tx, tenantId, cancellationToken),
                _ => null,
            };
            return change is null
                ? new TenantCommandResult(false, $"unknown tenant command '{command.Command}'")
                : new TenantCommandResult(change.Written, null);
        }
        catch (TenantAdminException ex) when (ex.Problem == TenantAdminProblem.Invalid)
        {
            return new TenantCommandResult(false, ex.Message);
        }
        catch (TenantAdminException)
        {
            // Not registered, deleted, or (never for these commands) already registered: nothing to change.
            return new TenantCommandResult(false, null);
        }
    }

    private static OptionalLimit<T> KeepUnlessSet<T>(T? value) where T : struct =>
        value is { } v ? OptionalLimit<T>.To(v) : OptionalLimit<T>.Keep;
}
