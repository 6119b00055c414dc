using System.Diagnostics;
using Fairlane.Agents.Guardian;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Observability;
using Microsoft.Extensions.Options;
using Npgsql;
using Prometheus;
using RedLockNet;

namespace Fairlane.Worker.Guardian;

/// <summary>How an attempt to run the Guardian ended on this node.</summary>
internal enum GuardianOutcome
{
    /// <summary>Led a run that saw every tenant through: reconciled, or failed (its job dead-lettered).</summary>
    Completed,

    /// <summary>Another node holds the lock.</summary>
    Busy,

    /// <summary>Too few Redis nodes answered to form a majority: nobody may lead.</summary>
    NoQuorum,

    /// <summary>This period already had its run (led by a node that fired earlier).</summary>
    AlreadyRun,

    /// <summary>The lock was lost or the hold time cap reached: the run was cancelled.</summary>
    Cancelled,

    /// <summary>A newer leader's epoch superseded this run.</summary>
    Fenced,
}

internal sealed record GuardianRunReport(
    GuardianOutcome Outcome, Guid? RunId = null, long? Epoch = null, int Tenants = 0, TimeSpan Duration = default, int TenantsFailed = 0);

/// <summary>
/// One Guardian run, fleet-wide (DESIGN §4, §6): take the lock, take the next fencing epoch, close
/// the runs dead leaders left running, record the run and fan one reconcile job per active, unheld
/// tenant out through the fenced outbox, then hold the lock (RedLock extends it) until the fleet has
/// reconciled every tenant or failed it (its job dead-lettered). The run is cancelled as soon as the
/// lock is lost or its hold time is capped, and a period that already had its run is not run twice,
/// however late a node's trigger fires.
/// </summary>
internal sealed partial class GuardianRunner(
    GuardianLock leadership, DataSources dataSources, IOptions<GuardianOptions> options, IOptions<WorkerOptions> worker, ILogger<GuardianRunner> logger)
{
    private readonly GuardianOptions _options = options.Value;

    public async Task<GuardianRunReport> RunAsync(string trigger, DateTimeOffset? period, CancellationToken cancellationToken)
    {
        IRedLock held;
        try
        {
            held = await leadership.TryAcquireAsync(TimeSpan.FromMilliseconds(_options.LockTtlMs), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            FairlaneMetrics.LockAttempts.WithLabels("no_quorum").Inc();
            LogNoQuorum(logger, ex.Message);
            return new GuardianRunReport(GuardianOutcome.NoQuorum);
        }
        await using (held)
        {
            if (!held.IsAcquired)
            {
                var outcome = held.Status == RedLockStatus.Conflicted ? GuardianOutcome.Busy : GuardianOutcome.NoQuorum;
                FairlaneMetrics.LockAttempts.WithLabels(outcome == GuardianOutcome.Busy ? "busy" : "no_quorum").Inc();
                if (outcome == GuardianOutcome.NoQuorum) LogNoQuorum(logger, held.Status.ToString());
                return new GuardianRunReport(outcome);
            }
            FairlaneMetrics.LockAttempts.WithLabels("acquired").Inc();
            FairlaneMetrics.Leader.Set(1);
            try
            {
                return await LeadAsync(held, trigger, period, cancellationToken);
            }
            finally
            {
                FairlaneMetrics.Leader.Set(0);
            }
        }
    }

    private async Task<GuardianRunReport> LeadAsync(IRedLock held, string trigger, DateTimeOffset? period, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        run.CancelAfter(_options.MaxRunMs);
        var node = worker.Value.NodeId;

        var runId = Guid.CreateVersion7();
        long epoch;
        List<string> tenants;
        int heldTenants;
        GuardianRunStart start;
        await using (var connection = await dataSources.Owner.OpenConnectionAsync(run.Token))
        {
            epoch = await GuardianFence.AdvanceAsync(connection, node, run.Token);
            (tenants, heldTenants) = await GuardianRuns.TenantsToReconcileAsync(dataSources.Owner, run.Token);
            start = await GuardianRuns.StartAsync(connection, runId, epoch, node, trigger, period, tenants, _options.DriftThreshold, run.Token);
        }
        var (started, abandoned) = start;
        if (abandoned > 0)
        {
            FairlaneMetrics.GuardianRunsAbandoned.Inc(abandoned);
            LogAbandoned(logger, abandoned, epoch);
        }
        if (started is not { } fanOut)
        {
            LogAlreadyRun(logger, period);
            return new GuardianRunReport(GuardianOutcome.AlreadyRun, Epoch: epoch);
        }
        if (!fanOut)
        {
            FairlaneMetrics.FencedWrites.Inc();
            return Finish(GuardianOutcome.Fenced, runId, epoch, tenants.Count, clock.Elapsed);
        }
        LogStarted(logger, runId, epoch, tenants.Count, heldTenants, trigger);

        var (outcome, failed) = await WaitForFleetAsync(held, runId, tenants.Count, run, cancellationToken);
        var status = outcome switch
        {
            GuardianOutcome.Completed => "completed",
            GuardianOutcome.Fenced => "fenced",
            _ => "cancelled",
        };
        // Recorded even when the run was cancelled, so the record says how it ended.
        if (!await FinishWithRetryAsync(runId, epoch, status, cancellationToken))
        {
            FairlaneMetrics.FencedWrites.Inc();
            outcome = GuardianOutcome.Fenced;
        }
        return Finish(outcome, runId, epoch, tenants.Count, clock.Elapsed, failed);
    }

    // Completed once every tenant is done or failed; returns how many failed. Each poll takes a pooled
    // connection of its own, and a poll that fails (PostgreSQL restarting) is tried again at the next one:
    // the run goes on in the fleet meanwhile, and only Guardian:MaxRunMs ends the wait.
    private async Task<(GuardianOutcome, int Failed)> WaitForFleetAsync(IRedLock held, Guid runId, int tenants,
        CancellationTokenSource run, CancellationToken stopping)
    {
        var poll = TimeSpan.FromMilliseconds(_options.PollMs);
        try
        {
            while (true)
            {
                // Losing the lock only flips IsAcquired (RedLock.net): check it, and stop leading at once.
                if (!held.IsAcquired)
                {
                    FairlaneMetrics.LockAttempts.WithLabels("lost").Inc();
                    LogLost(logger, runId);
                    return (GuardianOutcome.Cancelled, 0);
                }
                try
                {
                    var (done, failed) = await GuardianRuns.TenantsFinishedAsync(dataSources.Owner, runId, run.Token);
                    if (done + failed >= tenants) return (GuardianOutcome.Completed, failed);
                }
                catch (NpgsqlException ex) when (!run.IsCancellationRequested)
                {
                    LogPollFailed(logger, runId, ex.Message);
                }
                await Task.Delay(poll, run.Token);
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            LogCapped(logger, runId, _options.MaxRunMs);
            return (GuardianOutcome.Cancelled, 0);
        }
    }

    // The run's end is written even if PostgreSQL is briefly away; given up only on shutdown or after a
    // minute, when the run stays 'running' and the next leader closes it as abandoned.
    private async Task<bool> FinishWithRetryAsync(Guid runId, long epoch, string status, CancellationToken stopping)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        var retry = RetryPolicies.GuardianFinish.Build(ex => ex is NpgsqlException, (ex, _, _) => LogPollFailed(logger, runId, ex.Message));
        return await retry.ExecuteAsync(async ct => await GuardianRuns.FinishAsync(dataSources.Owner, runId, epoch, status, ct), limit.Token);
    }

    private GuardianRunReport Finish(GuardianOutcome outcome, Guid runId, long epoch, int tenants, TimeSpan duration, int failed = 0)
    {
        FairlaneMetrics.GuardianRuns.WithLabels(outcome.ToString().ToLowerInvariant()).Inc();
        if (outcome == GuardianOutcome.Completed)
        {
            FairlaneMetrics.GuardianRunDuration.Observe(duration.TotalSeconds);
            FairlaneMetrics.GuardianLastRun.SetToCurrentTimeUtc();
        }
        LogFinished(logger, runId, outcome, tenants, failed, duration.TotalMilliseconds);
        return new GuardianRunReport(outcome, runId, epoch, tenants, duration, failed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Guardian run {RunId} started under epoch {Epoch}: {Tenants} tenants to reconcile, {Held} held tenants left out ({Trigger})")]
    private static partial void LogStarted(ILogger logger, Guid runId, long epoch, int tenants, int held, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Guardian run {RunId} ended {Outcome}: {Tenants} tenants, {Failed} of them failed, in {DurationMs:F0} ms")]
    private static partial void LogFinished(ILogger logger, Guid runId, GuardianOutcome outcome, int tenants, int failed, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed {Count} Guardian runs left running by an earlier leader as abandoned (now epoch {Epoch})")]
    private static partial void LogAbandoned(ILogger logger, int count, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Guardian run of period {Period} already happened; not running it again")]
    private static partial void LogAlreadyRun(ILogger logger, DateTimeOffset? period);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No majority of Redis nodes granted the Guardian lock ({Reason}); no node may lead")]
    private static partial void LogNoQuorum(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Guardian run {RunId}: reading or recording its progress failed ({Reason}); trying again")]
    private static partial void LogPollFailed(ILogger logger, Guid runId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Guardian run {RunId} lost its lock; cancelled")]
    private static partial void LogLost(ILogger logger, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Guardian run {RunId} reached Guardian:MaxRunMs ({MaxRunMs} ms); cancelled")]
    private static partial void LogCapped(ILogger logger, Guid runId, int maxRunMs);
}
