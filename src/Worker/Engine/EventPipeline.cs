using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
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

/// <summary>
/// Processes one event in one tenant-bound transaction: the tenant must exist and not be deleted;
/// the processed-events ledger row goes in first (a re-delivered event finds it and is skipped);
/// then the handler's effects; then, for an event loaded from the park, its parked row is deleted.
/// All of it commits together or not at all, so every effect is applied exactly once.
/// </summary>
internal sealed class EventPipeline(TenantDatabase database, IOptions<EngineOptions> options)
{
    private readonly TimeSpan _artificialDelay = TimeSpan.FromMilliseconds(options.Value.ArtificialHandlerDelayMs);

    public async Task<PipelineResult> ProcessAsync(EngineEvent e, CancellationToken cancellationToken)
    {
        try
        {
            return await database.InTenantTransactionAsync(e.Tenant, (c, tx, ct) => RunAsync(e, c, tx, ct), cancellationToken);
        }
        catch (HandlerRejectedException ex)
        {
            return new PipelineResult.Rejected(new DeadLetter(DeadLetterReasons.PermanentFailure, ex.Message));
        }
        catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            return new PipelineResult.Transient(ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not transient and not cancellation: retrying cannot help (a constraint the event breaks,
            // a payload the handler cannot read). Dead-letter it so the partition keeps flowing.
            return new PipelineResult.Rejected(new DeadLetter(DeadLetterReasons.PermanentFailure, ex.Message, 0, ex.GetType().FullName));
        }
    }

    private async Task<PipelineResult> RunAsync(EngineEvent e, NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct)
    {
        var tenant = await TenantRecord.ReadAsync(c, tx, e.Tenant, ct);
        if (tenant is null)
            return new PipelineResult.Rejected(new DeadLetter(DeadLetterReasons.UnknownTenant, $"tenant '{e.Tenant}' is not registered"));
        if (tenant.IsDeleted)
            return new PipelineResult.Rejected(new DeadLetter(DeadLetterReasons.TenantDeleted, $"tenant '{e.Tenant}' was unregistered"));

        var origin = new EventOrigin(e.Partition.Topic, e.Partition.Partition, e.Offset, e.ProducedAt);
        if (!await ProcessedEventLedger.TryRecordAsync(c, tx, e.Tenant, e.Envelope.Id, origin, ct))
        {
            if (e.ParkId is { } duplicateParkId) await ParkedEvents.DeleteAsync(c, tx, duplicateParkId, ct);
            return new PipelineResult.Duplicate();
        }
        if (_artificialDelay > TimeSpan.Zero) await Task.Delay(_artificialDelay, ct);
        var outcome = await e.Handler.HandleAsync(e.Envelope, new HandlerContext(c, tx, e.Tenant, origin), ct);
        // Throwing rolls the transaction back, ledger row included.
        if (!outcome.Succeeded) throw new HandlerRejectedException(outcome.PermanentFailure!);
        if (e.ParkId is { } parkId) await ParkedEvents.DeleteAsync(c, tx, parkId, ct);
        return new PipelineResult.Processed();
    }

    public static bool IsTransient(Exception ex) =>
        ex is NpgsqlException { IsTransient: true } or TimeoutException or HttpRequestException;

    private sealed class HandlerRejectedException(string reason) : Exception(reason);
}
