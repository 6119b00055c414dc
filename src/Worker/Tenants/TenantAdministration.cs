using Fairlane.Agents.Tenants;
using Npgsql;

namespace Fairlane.Worker.Tenants;

/// <summary>The outcome of a registration: the tenant, and whether an unregistered one was brought back.</summary>
internal sealed record TenantRegistered(TenantDetails Tenant, bool Reactivated);

/// <summary>
/// Registers, changes and unregisters tenants for the admin API and the CLI: each request runs
/// <see cref="TenantLifecycle"/> in a transaction of its own as the schema owner, and after each change that
/// was written tells the fleet (<see cref="TenantChangeNotices"/>).
/// </summary>
/// <remarks>
/// Registering a deleted tenant again reactivates it with the name and limits of the new registration.
/// Requests that change nothing (pausing a paused tenant) succeed without a write or a notice.
/// </remarks>
internal sealed partial class TenantAdministration(NpgsqlDataSource owner, TenantChangeNotices notices, ILogger<TenantAdministration> logger)
{
    public Task<List<TenantDetails>> ListAsync(CancellationToken cancellationToken) => TenantRows.ListAsync(owner, cancellationToken);

    /// <exception cref="TenantAdminException">Invalid id, or NotFound.</exception>
    public async Task<TenantDetails> ShowAsync(string id, CancellationToken cancellationToken)
    {
        TenantRules.CheckId(id);
        return await TenantRows.FindAsync(owner, id, cancellationToken) ?? throw TenantErrors.NotFound(id);
    }

    /// <exception cref="TenantAdminException">Invalid field, or Conflict when the tenant is registered and not deleted.</exception>
    public async Task<TenantRegistered> RegisterAsync(TenantRegistration registration, CancellationToken cancellationToken)
    {
        var change = await InTransactionAsync((c, tx, ct) =>
            TenantLifecycle.RegisterAsync(c, tx, registration, ReRegistration.RefuseUnlessDeleted, ct), cancellationToken);
        var tenant = change.Tenant;
        var reactivated = change.Kind == TenantChangeKind.Reactivated;
        if (logger.IsEnabled(LogLevel.Information))
        {
            var ordering = tenant.Ordering.ToText();
            LogRegistered(logger, tenant.Id, reactivated ? "reactivated" : "registered", tenant.Weight, tenant.Concurrency, ordering);
        }
        await NotifyAsync(tenant.Id);
        return new TenantRegistered(tenant, reactivated);
    }

    /// <summary>Pauses the tenant: its events wait in the park until it is resumed.</summary>
    public Task<TenantDetails> PauseAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync((c, tx, ct) => TenantLifecycle.PauseAsync(c, tx, id, ct), cancellationToken);

    public Task<TenantDetails> ResumeAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync((c, tx, ct) => TenantLifecycle.ResumeAsync(c, tx, id, ct), cancellationToken);

    /// <exception cref="TenantAdminException">Invalid field or nothing to change, NotFound, or Conflict when deleted.</exception>
    public Task<TenantDetails> SetLimitsAsync(string id, TenantLimitsChange change, CancellationToken cancellationToken)
    {
        TenantRules.CheckId(id);
        if (change.IsEmpty) throw TenantErrors.NothingToChange();
        return ChangeAsync((c, tx, ct) => TenantLifecycle.UpdateAsync(c, tx, id, null, change, ct), cancellationToken);
    }

    /// <summary>Marks the tenant deleted; its rows stay, its new events are dead-lettered.</summary>
    public Task<TenantDetails> UnregisterAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync((c, tx, ct) => TenantLifecycle.UnregisterAsync(c, tx, id, ct), cancellationToken);

    private async Task<TenantDetails> ChangeAsync(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<TenantChange>> change, CancellationToken cancellationToken)
    {
        var (tenant, kind) = await InTransactionAsync(change, cancellationToken);
        if (kind == TenantChangeKind.Unchanged) return tenant;

        if (logger.IsEnabled(LogLevel.Information))
        {
            var status = tenant.Status.ToText();
            var ordering = tenant.Ordering.ToText();
            LogChanged(logger, tenant.Id, status, tenant.Weight, tenant.Concurrency, ordering, tenant.RatePerSecond, tenant.MaxQueueDepth, tenant.MonthlyBudget);
        }
        await NotifyAsync(tenant.Id);
        return tenant;
    }

    private async Task<TenantChange> InTransactionAsync(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<TenantChange>> change, CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var result = await change(connection, tx, cancellationToken);
        if (result.Written) await tx.CommitAsync(cancellationToken);
        return result;
    }

    // The change is committed: tell the fleet even if the caller has stopped waiting (publishing is bounded
    // by Redis:ConnectTimeoutMs per node).
    private Task<int> NotifyAsync(string tenantId) => notices.PublishAsync(tenantId, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Tenant} {Action}: weight {Weight}, concurrency {Concurrency} (empty: automatic), ordering {Ordering}")]
    private static partial void LogRegistered(ILogger logger, string tenant, string action, int weight, int? concurrency, string ordering);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Tenant {Tenant} changed: status {Status}, weight {Weight}, concurrency {Concurrency} (empty: automatic), ordering {Ordering}, rate {RatePerSecond}/s, max queue depth {MaxQueueDepth}, monthly budget {MonthlyBudget}")]
    private static partial void LogChanged(ILogger logger, string tenant, string status, int weight, int? concurrency, string ordering, double? ratePerSecond, int? maxQueueDepth, long? monthlyBudget);
}
