using Fairlane.Worker.Configuration;
using Polly;
using Polly.Retry;

namespace Fairlane.Worker.Infrastructure;

/// <summary>
/// One retry policy: exponential backoff from <see cref="BaseDelay"/> doubling per attempt, capped at
/// <see cref="MaxDelay"/>; with jitter, a uniform 50–100% of that, so many failing events do not
/// retry in lockstep. It retries without limit: its callers stop on shutdown, or count attempts themselves.
/// </summary>
internal sealed record RetryPolicy(string Name, TimeSpan BaseDelay, TimeSpan MaxDelay, bool Jitter = false)
{
    /// <summary>The wait before retry number <paramref name="attempt"/> (1 for the first retry).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        var ms = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30)), MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Jitter ? ms * (0.5 + Random.Shared.NextDouble() / 2) : ms);
    }

    /// <summary>
    /// A Polly pipeline that retries what <paramref name="retryable"/> accepts, with this policy's delays,
    /// and reports each failure before its wait when asked to. The caller's cancellation is never retried.
    /// </summary>
    public ResiliencePipeline Build(Func<Exception, bool> retryable, Action<Exception, int, TimeSpan>? onRetry = null) =>
        new ResiliencePipelineBuilder { Name = Name }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex
                    && (ex is not OperationCanceledException || !args.Context.CancellationToken.IsCancellationRequested) && retryable(ex)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayFor(args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    onRetry?.Invoke(args.Outcome.Exception!, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}

/// <summary>The node's retry policies, named and tuned in one place.</summary>
internal static class RetryPolicies
{
    /// <summary>Sending a dead letter (and its follow-up steps) until it is kept.</summary>
    public static RetryPolicy DeadLetters { get; } = new("dead-letters", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));

    /// <summary>Writing a batch of parked events.</summary>
    public static RetryPolicy ParkWrites { get; } = new("park-writes", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));

    /// <summary>Relaying the outbox while PostgreSQL or Kafka is unreachable.</summary>
    public static RetryPolicy Outbox { get; } = new("outbox", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));

    /// <summary>
    /// Recording a sync pass after its pushes (a deadlock with requests folding into the same rows, a
    /// database blip), bounded by the pass's lease: the pushes are not repeated for it.
    /// </summary>
    public static RetryPolicy SyncRecords { get; } = new("sync-records", TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2), Jitter: true);

    /// <summary>Recording how a Guardian run ended (bounded by the caller's one-minute limit).</summary>
    public static RetryPolicy GuardianFinish { get; } = new("guardian-finish", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

    /// <summary>
    /// How long a transiently failed event waits before the dispatcher runs it again (Engine:RetryBaseMs,
    /// Engine:RetryMaxMs), jittered; the engine counts its attempts up to Engine:MaxAttempts.
    /// </summary>
    public static RetryPolicy Dispatch(EngineOptions options) => new("dispatch",
        TimeSpan.FromMilliseconds(options.RetryBaseMs), TimeSpan.FromMilliseconds(options.RetryMaxMs), Jitter: true);
}
