using Fairlane.Agents.Sync;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Sync;

/// <summary>
/// This node's pusher: claims due pending products fairly across tenants and runs one pass per tenant,
/// up to Agents:SyncMaxPassesInFlight at once, never two of one tenant. It looks again at once while it
/// finds work; otherwise it waits for a request committed here (then the debounce, so the product is
/// due), a pass ending, or the poll (requests marked on nodes that do not push, retries). A pass that
/// fails (a dependency down, the lease running out, the node stopping) gives its products back, due
/// again shortly; if even that fails, their lease expires and any pusher takes them.
/// </summary>
internal sealed partial class SyncPushLoop(DataSources dataSources, SyncPusher pusher, SyncSignal signal, SyncPushOptions options,
    ILogger<SyncPushLoop> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AbandonTimeout = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, Task> _inFlight = new(StringComparer.Ordinal);

    // The pushes are done by then; recording them is retried rather than the pass abandoned and pushed again.
    private readonly Polly.ResiliencePipeline _recordRetry = RetryPolicies.SyncRecords.Build(TransientErrors.IsTransient,
        (ex, attempt, delay) => LogRecordRetry(logger, ex, attempt, delay.TotalMilliseconds));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (var done in _inFlight.Where(p => p.Value.IsCompleted).Select(p => p.Key).ToList()) _inFlight.Remove(done);
                var free = options.MaxPassesInFlight - _inFlight.Count;
                if (free > 0 && await ClaimAsync(free, stoppingToken) is { Count: > 0 } claimed)
                {
                    foreach (var tenant in claimed.GroupBy(c => c.TenantId))
                        _inFlight[tenant.Key] = RunPassAsync(tenant.Key, [.. tenant], stoppingToken);
                    continue;
                }
                if (await signal.WaitAsync(options.Poll, stoppingToken) && options.Debounce > TimeSpan.Zero)
                    await Task.Delay(options.Debounce, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_inFlight.Values); // passes never throw: each gives its products back
        }
    }

    private async Task<IReadOnlyList<ClaimedSync>> ClaimAsync(int free, CancellationToken stoppingToken)
    {
        try
        {
            return await PendingSyncs.ClaimAsync(dataSources.Owner, options.ProductsPerPass, free * options.ProductsPerPass, options.Lease,
                _inFlight.Keys, stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogClaimFailed(logger, ex, options.Poll.TotalMilliseconds);
            return [];
        }
    }

    private async Task RunPassAsync(string tenantId, IReadOnlyList<ClaimedSync> claimed, CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(options.Lease * 0.8); // give up well before another pusher may take the products
        using var span = SyncTracing.StartPass(tenantId, claimed);
        try
        {
            var pass = await pusher.ReadAsync(tenantId, claimed, deadline.Token);
            var records = await pusher.CallAsync(pass, deadline.Token);
            await _recordRetry.ExecuteAsync(ct => new ValueTask(pusher.RecordAsync(pass, records, ct)), deadline.Token);
            FairlaneMetrics.SyncPasses.WithLabels("recorded").Inc();
            span?.SetTag(Tracing.Outcome, "recorded");
        }
        catch (Exception ex)
        {
            FairlaneMetrics.SyncPasses.WithLabels("abandoned").Inc();
            span?.SetTag(Tracing.Outcome, "abandoned").SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            if (!stoppingToken.IsCancellationRequested) LogPassAbandoned(logger, ex, tenantId, claimed.Count);
            await AbandonAsync(tenantId, claimed);
        }
        finally
        {
            signal.Wake();
        }
    }

    private async Task AbandonAsync(string tenantId, IReadOnlyList<ClaimedSync> claimed)
    {
        try
        {
            using var timeout = new CancellationTokenSource(AbandonTimeout);
            await PendingSyncs.AbandonAsync(dataSources.Owner, claimed, RetryAfter, timeout.Token);
        }
        catch (Exception ex)
        {
            LogAbandonFailed(logger, ex, tenantId, options.Lease.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording a sync pass failed (attempt {Attempt}); trying again in {DelayMs} ms")]
    private static partial void LogRecordRetry(ILogger logger, Exception exception, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming pending syncs failed; looking again in {DelayMs} ms")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sync pass of tenant {Tenant} ({Products} products) was abandoned; they are pushed again shortly")]
    private static partial void LogPassAbandoned(ILogger logger, Exception exception, string tenant, int products);

    [LoggerMessage(Level = LogLevel.Error, Message = "Giving back tenant {Tenant}'s abandoned syncs failed; another pusher takes them when their lease ends in {LeaseSeconds} s")]
    private static partial void LogAbandonFailed(ILogger logger, Exception exception, string tenant, double leaseSeconds);
}
