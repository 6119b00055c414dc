namespace Fairlane.Worker.Tenants;

/// <summary>The outcome of a registration: the tenant, and whether an unregistered one was brought back.</summary>
internal sealed record TenantRegistered(TenantDetails Tenant, bool Reactivated);

/// <summary>
/// Registers, changes and unregisters tenants: the one place the admin API and the CLI go through.
/// Validates every request (errors name the field), writes the <c>tenants</c> row as the schema
/// owner, and after each change that was written tells the fleet (<see cref="TenantChangeNotices"/>).
/// </summary>
/// <remarks>
/// Unregistering keeps the tenant's row and data (status <c>deleted</c>: its events are dead-lettered).
/// Registering a deleted tenant again reactivates it with the name and limits of the new registration.
/// Requests that change nothing (pausing a paused tenant) succeed without a write or a notice.
/// </remarks>
internal sealed class TenantAdministration(TenantStore store, TenantChangeNotices notices, ILogger<TenantAdministration> logger)
{
    public Task<List<TenantDetails>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <exception cref="TenantAdminException">Invalid id, or NotFound.</exception>
    public async Task<TenantDetails> ShowAsync(string id, CancellationToken cancellationToken)
    {
        TenantRules.CheckId(id);
        return await store.FindAsync(id, cancellationToken) ?? throw TenantErrors.NotFound(id);
    }

    /// <exception cref="TenantAdminException">Invalid field, or Conflict when the tenant is registered and not deleted.</exception>
    public async Task<TenantRegistered> RegisterAsync(TenantRegistration registration, CancellationToken cancellationToken)
    {
        TenantRules.CheckId(registration.Id);
        var name = TenantRules.CheckName(registration.Name);
        TenantRules.Check(registration.Limits);
        var row = new TenantRow(name, TenantStatuses.Active, registration.Limits.ApplyTo(TenantLimitValues.Defaults));
        var reactivated = false;
        var (tenant, _) = await store.ChangeAsync(registration.Id, current =>
        {
            if (current is null) return row;
            if (current.Status != TenantStatuses.Deleted) throw TenantErrors.AlreadyRegistered(current);
            reactivated = true;
            return row;
        }, cancellationToken);
        logger.LogInformation("Tenant {Tenant} {Action}: weight {Weight}, concurrency {Concurrency}",
            tenant.Id, reactivated ? "reactivated" : "registered", tenant.Weight, tenant.Concurrency);
        await NotifyAsync(tenant.Id);
        return new TenantRegistered(tenant, reactivated);
    }

    /// <summary>Pauses the tenant: its events wait in the park until it is resumed.</summary>
    public Task<TenantDetails> PauseAsync(string id, CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, TenantStatuses.Paused, cancellationToken);

    public Task<TenantDetails> ResumeAsync(string id, CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, TenantStatuses.Active, cancellationToken);

    /// <exception cref="TenantAdminException">Invalid field or nothing to change, NotFound, or Conflict when deleted.</exception>
    public async Task<TenantDetails> SetLimitsAsync(string id, TenantLimitsChange change, CancellationToken cancellationToken)
    {
        TenantRules.CheckId(id);
        if (change.IsEmpty) throw TenantErrors.NothingToChange();
        TenantRules.Check(change);
        return await ChangeAsync(id, current => current with { Limits = change.ApplyTo(current.Limits) }, cancellationToken);
    }

    /// <summary>Marks the tenant deleted; its rows stay, its new events are dead-lettered.</summary>
    public async Task<TenantDetails> UnregisterAsync(string id, CancellationToken cancellationToken)
    {
        TenantRules.CheckId(id);
        return await ChangeAsync(id, current => current with { Status = TenantStatuses.Deleted }, cancellationToken, allowDeleted: true);
    }

    private async Task<TenantDetails> ChangeStatusAsync(string id, string status, CancellationToken cancellationToken)
    {
        TenantRules.CheckId(id);
        return await ChangeAsync(id, current => current with { Status = status }, cancellationToken);
    }

    /// <summary>Changes a registered tenant; a result equal to the current row is not written.</summary>
    private async Task<TenantDetails> ChangeAsync(
        string id, Func<TenantRow, TenantRow> change, CancellationToken cancellationToken, bool allowDeleted = false)
    {
        var (tenant, written) = await store.ChangeAsync(id, current =>
        {
            if (current is null) throw TenantErrors.NotFound(id);
            var row = new TenantRow(current.Name, current.Status, current.Limits);
            if (row.Status == TenantStatuses.Deleted && !allowDeleted) throw TenantErrors.Deleted(id);
            var next = change(row);
            return next == row ? null : next;
        }, cancellationToken);
        if (!written) return tenant;

        logger.LogInformation(
            "Tenant {Tenant} changed: status {Status}, weight {Weight}, concurrency {Concurrency}, rate {RatePerSecond}/s, max queue depth {MaxQueueDepth}, monthly budget {MonthlyBudget}",
            tenant.Id, tenant.Status, tenant.Weight, tenant.Concurrency, tenant.RatePerSecond, tenant.MaxQueueDepth, tenant.MonthlyBudget);
        await NotifyAsync(tenant.Id);
        return tenant;
    }

    // The change is committed: tell the fleet even if the caller has stopped waiting (publishing is bounded
    // by Redis:ConnectTimeoutMs per node).
    private Task NotifyAsync(string tenantId) => notices.PublishAsync(tenantId, CancellationToken.None);
}
