using Fairlane.Agents.Alerting;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
using Fairlane.Agents.Tenants;
using Fairlane.Contracts;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Intake;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fairlane.Worker.Engine;

/// <summary>How processing one event ended.</summary>
internal abstract record PipelineResult
{
    public sealed record Processed : PipelineResult;
    public sealed record Duplicate : PipelineResult;
    public sealed record Transient(Exception Error) : PipelineResult;
    public sealed record Rejected(DeadLetter Letter) : PipelineResult;
}

/// <summary>How processing a run of events ended: one result per event, or one failure for all of them.</summary>
internal sealed record BatchResult(IReadOnlyList<PipelineResult> Results, PipelineResult? Failure)
{
    public static BatchResult Of(PipelineResult single) =>
        single is PipelineResult.Processed or PipelineResult.Duplicate ? new([single], null) : new([], single);
}

/// <summary>
/// Processes an event, or a run of one tenant's events, in one tenant-bound transaction, once each
/// handler has done its preparation (e.g. reading a channel) with no transaction open: the tenant
/// must exist and not be deleted; the processed-events ledger row goes in first (a re-delivered event finds it and is skipped);
/// then the handler's effects; then, for an event loaded from the park, its parked row is deleted.
/// All of it commits together or not at all, so every effect is applied exactly once.
/// </summary>
internal sealed partial class EventPipeline(
    TenantDatabase database, AlertStore alerts, ITenantChangeNotice tenantChanges, IOptions<EngineOptions> options, ILogger<EventPipeline> logger)
{
    private readonly TimeSpan _artificialDelay = TimeSpan.FromMilliseconds(options.Value.ArtificialHandlerDelayMs);

    public async Task<PipelineResult> ProcessAsync(EngineEvent e, CancellationToken cancellationToken)
    {
        var afterCommit = new List<Func<CancellationToken, Task>>();
        object? prepared = null;
        var result = await GuardAsync(e.Tenant, async ct => prepared = await e.Handler.PrepareAsync(e.Envelope, e.Tenant, ct),
            (c, tx, ct) => RunAsync(e, prepared, afterCommit, c, tx, ct), failure => failure, cancellationToken);
        if (result is PipelineResult.Processed) await RunAfterCommitAsync(afterCommit, cancellationToken);
        return result;
    }

    /// <summary>
    /// Processes a run of one tenant's consecutive events in one transaction, in order. Returns one
    /// result per event (processed or duplicate), or one failure for the whole run: it rolled back
    /// as a unit, and the caller re-runs its events one by one to find the culprit.
    /// </summary>
    public async Task<BatchResult> ProcessBatchAsync(IReadOnlyList<EngineEvent> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 1) return BatchResult.Of(await ProcessAsync(batch[0], cancellationToken));
        var afterCommit = new List<Func<CancellationToken, Task>>();
        var prepared = new object?[batch.Count];
        var result = await GuardAsync(batch[0].Tenant, async ct =>
            {
                for (var i = 0; i < batch.Count; i++) prepared[i] = await batch[i].Handler.PrepareAsync(batch[i].Envelope, batch[i].Tenant, ct);
            },
            (c, tx, ct) => RunBatchAsync(batch, prepared, afterCommit, c, tx, ct), failure => new BatchResult([], failure), cancellationToken);
        if (result.Failure is null) await RunAfterCommitAsync(afterCommit, cancellationToken);
        return result;
    }

    // Notices about committed effects: best effort, never a reason to redo the effect.
    private async Task RunAfterCommitAsync(List<Func<CancellationToken, Task>> actions, CancellationToken cancellationToken)
    {
        foreach (var action in actions)
        {
            try
            {
                await action(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAfterCommitFailed(logger, ex);
            }
        }
    }

    /// <summary>
    /// Tells a handler that asks for it that its event was dead-lettered, in a tenant transaction of
    /// its own (a Guardian reconcile job then counts its tenant as failed, so its run can end).
    /// </summary>
    public async Task RecordDeadLetterAsync(EngineEvent e, CancellationToken cancellationToken)
    {
        if (e.Handler is not IDeadLetterAware aware) return;
        await database.InTenantTransactionAsync(e.Tenant, async (c, tx, ct) =>
        {
            await aware.DeadLetteredAsync(e.Envelope, new HandlerContext(c, tx, e.Tenant, OriginOf(e)), ct);
            return true;
        }, cancellationToken);
    }

    // The handler's preparation runs first, outside any transaction, and fails like the handler would.
    private async Task<T> GuardAsync<T>(string tenant, Func<CancellationToken, Task> prepare,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, Func<PipelineResult, T> failed, CancellationToken cancellationToken)
    {
        try
        {
            await prepare(cancellationToken);
            return await database.InTenantTransactionAsync(tenant, work, cancellationToken);
        }
        catch (HandlerRejectedException ex)
        {
            return failed(new PipelineResult.Rejected(new DeadLetter(DeadLetterReasons.PermanentFailure, ex.Message)));
        }
        catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            return failed(new PipelineResult.Transient(ex));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not transient and not cancellation: retrying cannot help (a constraint the event breaks,
            // a payload the handler cannot read). Dead-letter it so the partition keeps flowing.
            return failed(new PipelineResult.Rejected(new DeadLetter(DeadLetterReasons.PermanentFailure, ex.Message, 0, ex.GetType().FullName)));
        }
    }

    private async Task<PipelineResult> RunAsync(EngineEvent e, object? prepared, List<Func<CancellationToken, Task>> afterCommit,
        NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct)
    {
        var (tenant, rejected) = await ReadTenantAsync(c, tx, e.Tenant, ct);
        if (rejected is not null && e.Handler.RequiresRegisteredTenant) return rejected;

        var origin = OriginOf(e);
        if (!await ProcessedEventLedger.TryRecordAsync(c, tx, e.Tenant, e.Envelope.Id, origin, ct))
        {
            if (e.ParkId is { } duplicateParkId) await ParkedEvents.DeleteAsync(c, tx, duplicateParkId, ct);
            return new PipelineResult.Duplicate();
        }
        if (_artificialDelay > TimeSpan.Zero) await Task.Delay(_artificialDelay, ct);
        var context = new HandlerContext(c, tx, e.Tenant, origin) { AfterCommit = afterCommit, Prepared = prepared };
        await HandleAsync(e, context, ct);
        if (e.ParkId is { } parkId) await ParkedEvents.DeleteAsync(c, tx, parkId, ct);
        if (tenant is not null) await CountJobsAsync(tenant, context, 1, ct);
        return new PipelineResult.Processed();
    }

    private async Task<BatchResult> RunBatchAsync(IReadOnlyList<EngineEvent> batch, object?[] prepared, List<Func<CancellationToken, Task>> afterCommit,
        NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct)
    {
        var tenantId = batch[0].Tenant;
        // Even events that need no registered tenant fail the run here: run alone, they pass.
        var (tenant, rejected) = await ReadTenantAsync(c, tx, tenantId, ct);
        if (rejected is not null) return new BatchResult([], rejected);

        var origins = batch.Select(OriginOf).ToList();
        var fresh = await ProcessedEventLedger.TryRecordManyAsync(c, tx, tenantId, batch.Select((e, i) => (e.Envelope.Id, origins[i])).ToList(), ct);
        // The artificial delay models a slow downstream call: one per transaction.
        if (_artificialDelay > TimeSpan.Zero) await Task.Delay(_artificialDelay, ct);
        var results = new PipelineResult[batch.Count];
        var processed = 0;
        var shared = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            // Taken out of the set, so a second copy of one event in the run counts as the duplicate it is.
            if (!fresh.Remove(batch[i].Envelope.Id))
            {
                results[i] = new PipelineResult.Duplicate();
                continue;
            }
            await HandleAsync(batch[i], new HandlerContext(c, tx, tenantId, origins[i])
                { AfterCommit = afterCommit, TransactionState = shared, Prepared = prepared[i] }, ct);
            results[i] = new PipelineResult.Processed();
            processed++;
        }
        await ParkedEvents.DeleteManyAsync(c, tx, batch.Where(e => e.ParkId is not null).Select(e => e.ParkId!.Value).ToArray(), ct);
        if (processed > 0) await CountJobsAsync(tenant!, new HandlerContext(c, tx, tenantId, origins[0]) { AfterCommit = afterCommit }, processed, ct);
        return new BatchResult(results, null);
    }

    private static async Task<(TenantRecord? Tenant, PipelineResult? Rejected)> ReadTenantAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, string tenantId, CancellationToken ct)
    {
        var tenant = await TenantRecord.ReadAsync(c, tx, tenantId, ct);
        if (tenant is null)
            return (null, new PipelineResult.Rejected(new DeadLetter(DeadLetterReasons.UnknownTenant, $"tenant '{tenantId}' is not registered")));
        if (tenant.IsDeleted)
            return (tenant, new PipelineResult.Rejected(new DeadLetter(DeadLetterReasons.TenantDeleted, $"tenant '{tenantId}' was unregistered")));
        return (tenant, null);
    }

    // Only tenants with a monthly budget are counted. The job that reaches the budget raises an alert
    // and tells the fleet, which then holds the tenant's further events in the park until the budget
    // is raised or the month turns (events already queued or running may still finish: a soft limit).
    private async Task CountJobsAsync(TenantRecord tenant, HandlerContext context, int jobs, CancellationToken ct)
    {
        if (tenant.MonthlyBudget is not { } budget) return;
        var (before, after) = await TenantUsage.AddAsync(context.Connection, context.Transaction, tenant.Id, jobs, ct);
        if (before >= budget || after < budget) return;
        await alerts.RaiseAsync(context, AlertKinds.Budget, "monthly", "warning",
            $"tenant '{tenant.Id}' used its monthly budget of {budget} jobs; its events are parked until the budget is raised", ct);
        context.AfterCommit.Add(t => tenantChanges.PublishAsync(tenant.Id, t));
    }

    private static async Task HandleAsync(EngineEvent e, HandlerContext context, CancellationToken ct)
    {
        var outcome = await e.Handler.HandleAsync(e.Envelope, context, ct);
        // Throwing rolls the transaction back, ledger rows included.
        if (!outcome.Succeeded) throw new HandlerRejectedException(outcome.PermanentFailure!);
    }

    private static EventOrigin OriginOf(EngineEvent e) => new(e.Partition.Topic, e.Partition.Partition, e.Offset, e.ProducedAt);

    public static bool IsTransient(Exception ex) =>
        ex is NpgsqlException { IsTransient: true } or TimeoutException or HttpRequestException;

    private sealed class HandlerRejectedException(string reason) : Exception(reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notice after a committed effect could not be sent")]
    private static partial void LogAfterCommitFailed(ILogger logger, Exception ex);
}
