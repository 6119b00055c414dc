using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Fairlane.Agents.Channels;

/// <summary>
/// Runs channel calls through a Polly pipeline of their own tenant's channel — retry (outermost),
/// circuit breaker, per-attempt timeout (innermost) — so one tenant's failing channel never trips
/// another tenant's breaker or spends its retries. Each attempt is reported to the
/// <see cref="IChannelCallObserver"/>; breaker changes are reported through <see cref="Breakers"/>.
/// </summary>
public sealed class ChannelResilience
{
    private readonly ChannelResilienceOptions _options;
    private readonly IChannelCallObserver? _observer;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<ChannelKey, Lazy<ResiliencePipeline>> _pipelines = new();

    public ChannelResilience(ChannelResilienceOptions options, ChannelBreakers breakers, IChannelCallObserver? observer = null, TimeProvider? timeProvider = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException("Invalid channel resilience settings: " + string.Join(" ", problems), nameof(options));
        _options = options;
        Breakers = breakers;
        _observer = observer;
        _time = timeProvider ?? TimeProvider.System;
    }

    public ChannelBreakers Breakers { get; }

    /// <summary>
    /// Runs one channel call (one HTTP request per attempt) with retries, breaker and timeout. Failures
    /// leave as <see cref="ChannelException"/>s; only the caller's own cancellation leaves as
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(
        ChannelConnection connection, string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var pipeline = _pipelines.GetOrAdd(connection.Key, static (key, state) =>
            new Lazy<ResiliencePipeline>(() => state.Self.Build(key, state.Type)), (Self: this, connection.Type)).Value;
        try
        {
            return await pipeline.ExecuteAsync(
                static (state, token) => state.Self.AttemptAsync(state.Connection, state.Operation, state.Call, token, state.CallerToken),
                (Self: this, Connection: connection, Operation: operation, Call: call, CallerToken: cancellationToken),
                cancellationToken);
        }
        catch (BrokenCircuitException ex)
        {
            _observer?.CallCompleted(connection.Type, operation, ChannelCallOutcome.CircuitOpen, TimeSpan.Zero);
            throw ChannelErrors.CircuitOpen(connection, operation, ex);
        }
        catch (Exception ex) when (IsTimeout(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw ChannelErrors.TimedOut(connection, operation, ex);
        }
        catch (HttpRequestException ex)
        {
            throw ChannelErrors.Unreachable(connection, operation, ex);
        }
    }

    /// <summary>Drops a channel's pipeline and breaker, e.g. when the channel is deleted or its credentials change.</summary>
    public void Forget(ChannelKey channel)
    {
        // Not disposed: calls still in flight may be using it, and a Polly breaker holds no timer or
        // thread (only a task parked on its own semaphore), so once unreferenced it is collected.
        _pipelines.TryRemove(channel, out _);
        Breakers.Forget(channel);
    }

    private async ValueTask<T> AttemptAsync<T>(
        ChannelConnection connection, string operation, Func<CancellationToken, Task<T>> call,
        CancellationToken attemptToken, CancellationToken callerToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            var result = await call(attemptToken);
            _observer?.CallCompleted(connection.Type, operation, ChannelCallOutcome.Success, _time.GetElapsedTime(started));
            return result;
        }
        catch (Exception ex)
        {
            _observer?.CallCompleted(connection.Type, operation, Classify(ex, callerToken), _time.GetElapsedTime(started));
            throw;
        }
    }

    private ResiliencePipeline Build(ChannelKey channel, string channelType)
    {
        var o = _options;
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (o.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(o.RetryBaseDelayMs),
                MaxDelay = TimeSpan.FromMilliseconds(o.RetryMaxDelayMs),
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome.Exception)),
                // A 429's Retry-After is the channel telling us exactly when to come back: wait that, not our backoff.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is ChannelThrottledException { RetryAfter: { } after } ? after : (TimeSpan?)null),
            });
        }

        var state = new CircuitBreakerStateProvider();
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = o.BreakerFailureRatio,
            SamplingDuration = TimeSpan.FromMilliseconds(o.BreakerSamplingDurationMs),
            MinimumThroughput = o.BreakerMinimumThroughput,
            BreakDuration = TimeSpan.FromMilliseconds(o.BreakerBreakDurationMs),
            ShouldHandle = args => ValueTask.FromResult(MeansChannelIsFailing(args.Outcome.Exception)),
            StateProvider = state,
            OnOpened = args => Report(ChannelBreakerState.Open, args.BreakDuration),
            OnHalfOpened = _ => Report(ChannelBreakerState.HalfOpen, null),
            OnClosed = _ => Report(ChannelBreakerState.Closed, null),
        });

        builder.AddTimeout(TimeSpan.FromMilliseconds(o.AttemptTimeoutMs));
        var pipeline = builder.Build();
        Breakers.Track(channel, channelType, state);
        return pipeline;

        ValueTask Report(ChannelBreakerState newState, TimeSpan? breakDuration)
        {
            Breakers.Report(channel, channelType, newState, breakDuration);
            return ValueTask.CompletedTask;
        }
    }

    private bool IsRetryable(Exception? ex) => ex switch
    {
        ChannelThrottledException throttled => throttled.RetryAfter is not { } after || after.TotalMilliseconds <= _options.MaxRetryAfterMs,
        _ => MeansChannelIsFailing(ex),
    };

    // What says the channel (or the way to it) is unhealthy. A 429 does not: the channel is up and
    // pacing us, and its Retry-After already slows us down. Auth and rejected requests are our fault.
    private static bool MeansChannelIsFailing(Exception? ex) =>
        ex is ChannelTransientException or HttpRequestException || IsTimeout(ex);

    // Polly's per-attempt timeout, or HttpClient's own Timeout (a TaskCanceledException around a TimeoutException).
    private static bool IsTimeout(Exception? ex) =>
        ex is TimeoutRejectedException || ex is TaskCanceledException { InnerException: TimeoutException };

    private static ChannelCallOutcome Classify(Exception ex, CancellationToken callerToken) => ex switch
    {
        ChannelAuthException => ChannelCallOutcome.AuthFailed,
        ChannelThrottledException => ChannelCallOutcome.Throttled,
        ChannelTransientException => ChannelCallOutcome.Transient,
        HttpRequestException => ChannelCallOutcome.NetworkError,
        OperationCanceledException when callerToken.IsCancellationRequested => ChannelCallOutcome.Cancelled,
        OperationCanceledException => ChannelCallOutcome.Timeout,
        _ => ChannelCallOutcome.Rejected,
    };
}
