using System.Diagnostics;
using Fairlane.Agents.Channels;
using Fairlane.ChannelSimulator;
using Fairlane.Tests.Infrastructure;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Agents.Channels;

/// <summary>Retries, Retry-After, timeouts and per-channel circuit breakers, against misbehaving simulated channels.</summary>
[Trait("Category", "Integration")]
public sealed class ChannelResilienceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Throttling_waits_out_the_channels_Retry_After_then_succeeds()
    {
        // Backoff alone would retry within 20 ms; only honouring Retry-After makes this take two seconds.
        await using var h = await ChannelHarness.StartAsync();
        var (channel, account) = h.Channel(ChannelTypes.EposNow);
        account.SetStock("a", 4);
        account.Faults = new SimulatedFaults { RetryAfterSeconds = 1 };
        account.FailNext(2, 429);

        var clock = Stopwatch.StartNew();
        var read = await h.Adapter(channel).ReadStockAsync(channel, ["a"], CancellationToken.None);
        clock.Stop();

        Assert.Equal(4, read["a"]);
        Assert.Equal(2, account.Calls(SimulatedEndpoint.Read, 429));
        Assert.Equal(1, account.Calls(SimulatedEndpoint.Read, 200));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"took {clock.Elapsed}: Retry-After was not waited out");
        Assert.Equal(2, h.Calls.Count(ChannelCallOutcome.Throttled));
        Assert.Equal(1, h.Calls.Count(ChannelCallOutcome.Success));
    }

    [Fact]
    public async Task A_storm_of_random_429s_is_ridden_out()
    {
        await using var h = await ChannelHarness.StartAsync(o => o.MaxRetryAttempts = 12);
        var (channel, account) = h.Channel(ChannelTypes.Wix);
        account.SetStock(Enumerable.Range(0, 20).Select(i => KeyValuePair.Create($"p{i}", 0)));
        account.Faults = new SimulatedFaults { ThrottleRate = 0.5, RetryAfterSeconds = 0 };

        for (var i = 0; i < 20; i++)
        {
            var results = await h.Adapter(channel).PushStockAsync(channel, [new($"p{i}", i + 10)], CancellationToken.None);
            Assert.True(results.Single().Accepted);
        }

        Assert.Equal(20, account.Calls(SimulatedEndpoint.Push, 200));
        Assert.InRange(account.Calls(SimulatedEndpoint.Push, 429), 5, 1_000); // a storm happened
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(i + 10, account.GetStock($"p{i}")));
    }

    [Fact]
    public async Task A_burst_of_server_errors_is_retried_with_backoff_then_succeeds()
    {
        await using var h = await ChannelHarness.StartAsync();
        var (channel, account) = h.Channel(ChannelTypes.Deliveroo);
        account.SetStock("dish", 1);
        account.FailNext(3, 503);

        var results = await h.Adapter(channel).PushStockAsync(channel, [new("dish", 8)], CancellationToken.None);

        Assert.True(results.Single().Accepted);
        Assert.Equal(8, account.GetStock("dish"));
        Assert.Equal(3, account.Calls(SimulatedEndpoint.Push, 503));
        Assert.Equal(1, account.Calls(SimulatedEndpoint.Push, 200));
        Assert.Equal(3, h.Calls.Count(ChannelCallOutcome.Transient, ChannelOperations.Push));
        Assert.Equal(1, h.Calls.Count(ChannelCallOutcome.Success, ChannelOperations.Push));
    }

    [Fact]
    public async Task Random_server_errors_are_absorbed_by_retries()
    {
        await using var h = await ChannelHarness.StartAsync(o => o.MaxRetryAttempts = 10);
        var (channel, account) = h.Channel(ChannelTypes.EposNow);
        account.SetStock(Enumerable.Range(0, 30).Select(i => KeyValuePair.Create($"{i}", 0)));
        account.Faults = new SimulatedFaults { ErrorRate = 0.4 };

        for (var i = 0; i < 30; i++)
        {
            Assert.True((await h.Adapter(channel).PushStockAsync(channel, [new($"{i}", 100 + i)], CancellationToken.None)).Single().Accepted);
        }

        Assert.Equal(30, account.Calls(SimulatedEndpoint.Push, 200));
        Assert.InRange(account.Calls(SimulatedEndpoint.Push, 500), 5, 1_000);
        Assert.All(Enumerable.Range(0, 30), i => Assert.Equal(100 + i, account.GetStock($"{i}")));
    }

    [Fact]
    public async Task When_retries_run_out_the_transient_failure_surfaces()
    {
        await using var h = await ChannelHarness.StartAsync(o => o.MaxRetryAttempts = 2);
        var (channel, account) = h.Channel(ChannelTypes.Wix);
        account.FailNext(10, 500);

        var ex = await Assert.ThrowsAsync<ChannelTransientException>(() =>
            h.Adapter(channel).ReadStockAsync(channel, ["x"], CancellationToken.None));

        Assert.Equal(500, ex.StatusCode);
        Assert.Equal(3, account.Calls(SimulatedEndpoint.Read, 500));
    }

    [Fact]
    public async Task A_Retry_After_longer_than_allowed_fails_at_once()
    {
        await using var h = await ChannelHarness.StartAsync(o => o.MaxRetryAfterMs = 2_000);
        var (channel, account) = h.Channel(ChannelTypes.Deliveroo);
        account.Faults = new SimulatedFaults { RetryAfterSeconds = 120 };
        account.FailNext(1, 429);

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<ChannelThrottledException>(() =>
            h.Adapter(channel).ReadStockAsync(channel, ["x"], CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Equal(1, account.Calls(SimulatedEndpoint.Read));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}: the 120 s Retry-After was waited for");
    }

    [Fact]
    public async Task Slow_attempts_time_out_and_are_retried()
    {
        await using var h = await ChannelHarness.StartAsync(o => (o.AttemptTimeoutMs, o.MaxRetryAttempts) = (150, 2));
        var (channel, account) = h.Channel(ChannelTypes.EposNow);
        account.Faults = new SimulatedFaults { LatencyMs = 30_000 };

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<ChannelTransientException>(() =>
            h.Adapter(channel).ReadStockAsync(channel, ["1"], CancellationToken.None));

        Assert.Contains("AttemptTimeoutMs", ex.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}: attempts were not cut short");
        Assert.Equal(3, h.Calls.Count(ChannelCallOutcome.Timeout));
        // The simulator counts an abandoned call once it notices the client went away.
        await Eventually.WaitAsync(() => account.Calls(SimulatedEndpoint.Read) == 3, Deadline, "three abandoned attempts");
    }

    [Fact]
    public async Task The_callers_cancellation_is_neither_retried_nor_disguised()
    {
        await using var h = await ChannelHarness.StartAsync();
        var (channel, account) = h.Channel(ChannelTypes.Wix);
        account.Faults = new SimulatedFaults { LatencyMs = 30_000 };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Adapter(channel).ReadStockAsync(channel, ["x"], cts.Token));

        Assert.Equal(1, h.Calls.Count(ChannelCallOutcome.Cancelled));
        Assert.Equal(0, h.Calls.Count(ChannelCallOutcome.Timeout));
    }

    [Fact]
    public async Task The_breaker_opens_during_an_outage_and_closes_after_it()
    {
        await using var h = await ChannelHarness.StartAsync(o =>
            (o.MaxRetryAttempts, o.BreakerMinimumThroughput, o.BreakerSamplingDurationMs, o.BreakerBreakDurationMs) = (1, 4, 2_000, 1_500));
        var (channel, account) = h.Channel(ChannelTypes.Wix);
        account.SetStock("p", 3);
        var adapter = h.Adapter(channel);
        Assert.Equal(3, (await adapter.ReadStockAsync(channel, ["p"], CancellationToken.None))["p"]);

        account.Faults = new SimulatedFaults { Outage = true };
        var opened = await Eventually.WaitAsync(async () =>
        {
            try
            {
                await adapter.ReadStockAsync(channel, ["p"], CancellationToken.None);
                return null;
            }
            catch (ChannelTransientException)
            {
                return null; // still counting failures
            }
            catch (ChannelUnavailableException ex)
            {
                return ex;
            }
        }, ex => ex is not null, Deadline, "the breaker to open");

        Assert.Equal(ChannelBreakerState.Open, h.Breakers.StateOf(channel.Key));
        Assert.NotNull(opened!.RetryAfter);
        Assert.Contains(h.BreakerChanges, c => c.Channel == channel.Key && c.State == ChannelBreakerState.Open && c.BreakDuration == TimeSpan.FromMilliseconds(1_500));
        Assert.Contains(h.Breakers.Snapshot(), s => s.Channel == channel.Key && s.State == ChannelBreakerState.Open && s.ChannelType == ChannelTypes.Wix);
        // While open, calls fail without reaching the channel.
        var callsWhileOpen = account.TotalCalls;
        await Assert.ThrowsAsync<ChannelUnavailableException>(() => adapter.ReadStockAsync(channel, ["p"], CancellationToken.None));
        Assert.Equal(callsWhileOpen, account.TotalCalls);
        Assert.True(h.Calls.Count(ChannelCallOutcome.CircuitOpen) >= 2);

        account.Faults = new SimulatedFaults { Outage = false };
        var stock = await Eventually.WaitAsync(async () =>
        {
            try
            {
                return await adapter.ReadStockAsync(channel, ["p"], CancellationToken.None);
            }
            catch (ChannelUnavailableException)
            {
                return null; // the break is not over yet
            }
        }, s => s is not null, Deadline, "a trial call to close the breaker");

        Assert.Equal(3, stock!["p"]);
        Assert.Equal(ChannelBreakerState.Closed, h.Breakers.StateOf(channel.Key));
        var states = h.BreakerChanges.Where(c => c.Channel == channel.Key).Select(c => c.State).ToList();
        Assert.Equal([ChannelBreakerState.Open, ChannelBreakerState.HalfOpen, ChannelBreakerState.Closed], states);
    }

    [Fact]
    public async Task One_tenants_failing_channel_does_not_break_anothers()
    {
        await using var h = await ChannelHarness.StartAsync(o =>
            (o.MaxRetryAttempts, o.BreakerMinimumThroughput, o.BreakerBreakDurationMs) = (0, 2, 5_000));
        var (failing, failingAccount) = h.Channel(ChannelTypes.EposNow, tenant: "tenant-a");
        var (healthy, healthyAccount) = h.Channel(ChannelTypes.EposNow, tenant: "tenant-b");
        failingAccount.Faults = new SimulatedFaults { Outage = true };
        healthyAccount.SetStock("1", 11);
        var adapter = h.Adapters.For(ChannelTypes.EposNow);

        await Assert.ThrowsAsync<ChannelTransientException>(() => adapter.ReadStockAsync(failing, ["1"], CancellationToken.None));
        await Assert.ThrowsAsync<ChannelTransientException>(() => adapter.ReadStockAsync(failing, ["1"], CancellationToken.None));
        await Assert.ThrowsAsync<ChannelUnavailableException>(() => adapter.ReadStockAsync(failing, ["1"], CancellationToken.None));

        Assert.Equal(11, (await adapter.ReadStockAsync(healthy, ["1"], CancellationToken.None))["1"]);
        Assert.Equal(ChannelBreakerState.Open, h.Breakers.StateOf(failing.Key));
        Assert.Equal(ChannelBreakerState.Closed, h.Breakers.StateOf(healthy.Key));
        Assert.DoesNotContain(h.BreakerChanges, c => c.Channel == healthy.Key);
    }

    [Fact]
    public async Task Auth_failures_do_not_open_the_breaker()
    {
        await using var h = await ChannelHarness.StartAsync(o => (o.BreakerMinimumThroughput, o.BreakerFailureRatio) = (2, 0.1));
        var (channel, account) = h.Channel(ChannelTypes.Deliveroo);
        account.ExpectedCredential = "rotated-token";

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<ChannelAuthException>(() => h.Adapter(channel).ReadStockAsync(channel, ["x"], CancellationToken.None));
        }

        Assert.Equal(5, account.Calls(SimulatedEndpoint.Read, 401));
        Assert.Equal(ChannelBreakerState.Closed, h.Breakers.StateOf(channel.Key));
        Assert.Empty(h.BreakerChanges);
    }

    [Fact]
    public async Task A_forgotten_channel_starts_with_a_closed_breaker()
    {
        await using var h = await ChannelHarness.StartAsync(o => (o.MaxRetryAttempts, o.BreakerMinimumThroughput, o.BreakerBreakDurationMs) = (0, 2, 30_000));
        var (channel, account) = h.Channel(ChannelTypes.Wix);
        account.FailNext(2, 500);
        account.SetStock("x", 2);
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<ChannelTransientException>(() => h.Adapter(channel).ReadStockAsync(channel, ["x"], CancellationToken.None));
        }
        Assert.Equal(ChannelBreakerState.Open, h.Breakers.StateOf(channel.Key));

        h.Resilience.Forget(channel.Key);

        Assert.Equal(ChannelBreakerState.Closed, h.Breakers.StateOf(channel.Key));
        Assert.Equal(2, (await h.Adapter(channel).ReadStockAsync(channel, ["x"], CancellationToken.None))["x"]);
    }
}
