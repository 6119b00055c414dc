using Fairlane.Agents.Sync;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Sync;

/// <summary>
/// This node's pusher: claims due pending products fairly across tenants (up to Agents:SyncProductsPerPass
/// of a tenant, Agents:SyncMaxProductsPerPass in all) and pushes them in one pass, whose two short
/// transactions serve all its tenants; up to Agents:SyncMaxPassesInFlight passes at once, never two
/// holding one tenant. It looks again at once while a claim
/// comes back full; otherwise it waits for a request committed here (then the debounce, so the product is
/// due), a pass ending, or the poll (requests marked on nodes that do not push, retries). A pass that
/// fails (a dependency down, the lease running out, the node stopping) gives its products back, due
/// again shortly; if even that fails, their lease expires and any pusher takes them.
/// </summary>
internal sealed partial class SyncPushLoop(DataSources dataSources, SyncPusher pusher, SyncSignal signal, SyncPushOptions options,
    ILogger<SyncPushLoop> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AbandonTimeout = TimeSpan.FromSeconds(5);
    private readonly List<(IReadOnlySet<string> Tenants, Task Pass)> _inFlight = [];

    // The pushes are done by then; recording them is retried rather than the pass abandoned and pushed again.
    private readonly Polly.ResiliencePipeline _recordRetry = RetryPolicies.SyncRecords.Build(TransientErrors.IsTransient,
        (ex, attempt, delay) => LogRecordRetry(logger, ex, attempt, delay.TotalMilliseconds));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                _inFlight.RemoveAll(p => p.Pass.IsCompleted);
                if (_inFlight.Count < options.MaxPassesInFlight && await ClaimAsync(stoppingToken) is { Count: > 0 } claimed)
                {
                    _inFlight.Add((claimed.Select(c => c.TenantId).ToHashSet(StringComparer.Ordinal), RunPassAsync(claimed, stoppingToken)));
                    // A full claim means more is due: look again at once. A partial one took all there was;
                    // what comes due meanwhile waits for the next wake and its debounce, so passes stay few
                    // and large (each costs two transactions whatever its size) rather than one per request.
                    if (claimed.Count >= options.MaxProductsPerPass) continue;
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
            await Task.WhenAll(_inFlight.Select(p => p.Pass)); // passes never throw: each gives its products back
        }
    }

    // No tenant is in two passes of this node at once: its products are pushed in the order they came due.
    private async Task<IReadOnlyList<ClaimedSync>> ClaimAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await PendingSyncs.ClaimAsync(dataSources.Owner, options.ProductsPerPass, options.MaxProductsPerPass, options.Lease,
                _inFlight.SelectMany(p => p.Tenants).ToHashSet(StringComparer.Ordinal), stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogClaimFailed(logger, ex, options.Poll.TotalMilliseconds);
            return [];
        }
    }

    private async Task RunPassAsync(IReadOnlyList<ClaimedSync> claimed, CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(options.Lease * 0.8); // give up well before another pusher may take the products
        using var span = SyncTracing.StartPass(claimed);
        try
        {
            var passes = await pusher.ReadAsync(claimed, deadline.Token);
            var records = await Task.WhenAll(passes.Select(pass => pusher.CallAsync(pass, deadline.Token)));
            var results = passes.Zip(records).ToList();
            await _recordRetry.ExecuteAsync(ct => new ValueTask(pusher.RecordAsync(results, ct)), deadline.Token);
            FairlaneMetrics.SyncPasses.WithLabels("recorded").Inc();
            span?.SetTag(Tracing.Outcome, "recorded");
        }
        catch (Exception ex)
        {
            FairlaneMetrics.SyncPasses.WithLabels("abandoned").Inc();
            span?.SetTag(Tracing.Outcome, "abandoned").SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            if (!stoppingToken.IsCancellationRequested) LogPassAbandoned(logger, ex, claimed.Select(c => c.TenantId).Distinct().Count(), claimed.Count);
            await AbandonAsync(claimed);
        }
        finally
        {
            signal.Wake();
        }
    }

    private async Task AbandonAsync(IReadOnlyList<ClaimedSync> claimed)
    {
        try
        {
            using var timeout = new CancellationTokenSource(AbandonTimeout);
            await PendingSyncs.AbandonAsync(dataSources.Owner, claimed, RetryAfter, timeout.Token);
        }
        catch (Exception ex)
        {
            LogAbandonFailed(logger, ex, claimed.Count, options.Lease.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording a sync pass failed (attempt {Attempt}); trying again in {DelayMs} ms")]
    private static partial void LogRecordRetry(ILogger logger, Exception exception, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming pending syncs failed; looking again in {DelayMs} ms")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sync pass over {Tenants} tenant(s) ({Products} products) was abandoned; they are pushed again shortly")]
    private static partial void LogPassAbandoned(ILogger logger, Exception exception, int tenants, int products);

    [LoggerMessage(Level = LogLevel.Error, Message = "Giving back {Products} abandoned syncs failed; another pusher takes them when their lease ends in {LeaseSeconds} s")]
    private static partial void LogAbandonFailed(ILogger logger, Exception exception, int products, double leaseSeconds);
}
