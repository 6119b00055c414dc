using Fairlane.Contracts.Events;
using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Parking;

/// <summary>
/// Moves parked events back into memory, in offset order, whenever their tenant has room: a tenant's
/// park drains before its newer events, and through the same fair scheduler as everyone else. It
/// also reads the park of each newly assigned partition, since parked events belong to their
/// partition and whichever node owns it drains them. The engine wakes it when a loaded tenant's queue
/// falls to its drain line (the interval is only the fallback), and loads of different tenants run
/// side by side, so one slow query does not hold up every other tenant's next page.
/// </summary>
internal sealed partial class ParkDrainer(FairEngine engine, ParkStore store, HandlerRegistry handlers, ILogger<ParkDrainer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);
    private const int MaxConcurrentLoads = 4; // a tenant has one load at a time; this bounds the pool connections used
    private readonly SemaphoreSlim _loadSlots = new(MaxConcurrentLoads);
    private readonly List<Task> _loads = [];
    private readonly Queue<Assignment> _toRead = new();
    private readonly Lock _toReadGate = new();

    /// <summary>Called on assignment (never blocks): read this partition's park.</summary>
    public void ReadParkOf(Assignment assignment)
    {
        lock (_toReadGate) _toRead.Enqueue(assignment);
        engine.WakeDrainer();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ReadAssignedAsync(stoppingToken);
                foreach (var (request, assignment) in engine.StartDrains())
                {
                    await WaitForSlotAsync(request, stoppingToken);
                    _loads.Add(DrainInSlotAsync(request, assignment, stoppingToken));
                }
                foreach (var done in _loads.Where(t => t.IsCompleted).ToList())
                {
                    _loads.Remove(done);
                    await done; // a load that failed for an unexpected reason stops the drainer, as it always did
                }
                await engine.WaitForDrainWorkAsync(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the loads under way give their requests back (DrainAsync) and end.
        }
        finally
        {
            await Task.WhenAll(_loads).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task WaitForSlotAsync(DrainRequest request, CancellationToken stoppingToken)
    {
        try
        {
            await _loadSlots.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            engine.DrainFailed(request);
            throw;
        }
    }

    private async Task DrainInSlotAsync(DrainRequest request, Assignment assignment, CancellationToken stoppingToken)
    {
        try
        {
            await DrainAsync(request, assignment, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the request was given back.
        }
        finally
        {
            _loadSlots.Release();
        }
    }

    private async Task ReadAssignedAsync(CancellationToken stoppingToken)
    {
        List<Assignment> pending;
        lock (_toReadGate)
        {
            pending = [.. _toRead];
            _toRead.Clear();
        }
        foreach (var assignment in pending)
        {
            if (engine.Current(assignment.Partition) != assignment) continue;
            try
            {
                engine.PartitionParkRead(assignment, await store.TenantsWithRowsAsync(assignment.Partition, stoppingToken));
            }
            catch (Exception ex) when (TransientErrors.IsTransient(ex))
            {
                // Until it is read, every event of the partition is parked, so order holds; try again.
                LogParkReadFailed(logger, ex, assignment.Partition);
                lock (_toReadGate) _toRead.Enqueue(assignment);
            }
        }
    }

    private async Task DrainAsync(DrainRequest request, Assignment assignment, CancellationToken stoppingToken)
    {
        try
        {
            var rows = await store.LoadAsync(request.Partition, request.Tenant, request.After, request.Before, request.Limit, stoppingToken);
            engine.Loaded(request, assignment, rows.Count, rows.Count > 0 ? rows[^1].Offset : -1,
                rows.Select(row => ToEvent(request.Partition, row)).OfType<EngineEvent>().ToList());
        }
        catch (Exception ex) when (TransientErrors.IsTransient(ex) && !stoppingToken.IsCancellationRequested)
        {
            LogLoadFailed(logger, ex, request.Tenant, request.Partition);
            engine.DrainFailed(request);
        }
        catch (OperationCanceledException)
        {
            engine.DrainFailed(request);
            throw;
        }
    }

    // Parked rows were valid envelopes when parked; they are decoded again rather than stored twice.
    private EngineEvent? ToEvent(PartitionKey partition, ParkedRow row)
    {
        var decoded = EnvelopeCodec.Decode(row.Key, row.Value, int.MaxValue);
        var handler = decoded.Envelope is { } envelope ? handlers.Find(partition.Topic, envelope.Type) : null;
        if (handler is null || !EventCatalog.TryDecode(decoded.Envelope!, out var typed, out _))
        {
            LogUnreadable(logger, row.Id, row.Tenant, partition);
            return null;
        }
        return new EngineEvent
        {
            Partition = partition,
            Offset = row.Offset,
            ParkId = row.Id,
            Key = row.Key,
            Value = row.Value,
            Headers = row.Headers,
            Envelope = typed,
            Handler = handler,
            ProducedAt = RecordHeaders.ProducedAt(row.Headers),
            // The park keeps the record's headers: the event continues the trace it was sent in.
            TraceContext = Tracing.Enabled ? Tracing.ParentOf(row.Headers) : default,
            QueuedAtUtc = Tracing.Enabled ? DateTime.UtcNow : default,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the park of {Partition} failed; retrying")]
    private static partial void LogParkReadFailed(ILogger logger, Exception exception, PartitionKey partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading parked events of {Tenant} on {Partition} failed; retrying")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string tenant, PartitionKey partition);

    [LoggerMessage(Level = LogLevel.Error, Message = "Parked event {ParkId} of {Tenant} on {Partition} cannot be read back; it stays parked")]
    private static partial void LogUnreadable(ILogger logger, long parkId, string tenant, PartitionKey partition);
}
