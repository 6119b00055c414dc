using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Tests.Worker.Infrastructure;

public sealed class RetryPoliciesTests
{
    [Fact]
    public void The_dispatchers_retry_delay_doubles_per_attempt_within_its_jitter_and_stops_at_the_cap()
    {
        var policy = RetryPolicies.Dispatch(new EngineOptions { RetryBaseMs = 100, RetryMaxMs = 1_000 });
        for (var sample = 0; sample < 200; sample++)
        {
            // Jitter keeps each delay within 50–100% of base × 2^(attempt − 1), capped at the maximum.
            Assert.InRange(policy.DelayFor(1).TotalMilliseconds, 50, 100);
            Assert.InRange(policy.DelayFor(3).TotalMilliseconds, 200, 400);
            Assert.InRange(policy.DelayFor(4).TotalMilliseconds, 400, 800);
            Assert.InRange(policy.DelayFor(5).TotalMilliseconds, 500, 1_000);
            Assert.InRange(policy.DelayFor(40).TotalMilliseconds, 500, 1_000);
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task A_built_policy_retries_what_it_accepts_with_growing_capped_delays_until_it_succeeds()
    {
        var policy = new RetryPolicy("test", TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4));
        var delays = new List<double>();
        var calls = 0;
        var retry = policy.Build(ex => ex is TimeoutException, (_, _, delay) => delays.Add(delay.TotalMilliseconds));

        var result = await retry.ExecuteAsync(_ => ++calls <= 5 ? throw new TimeoutException() : ValueTask.FromResult(calls), CancellationToken.None);

        Assert.Equal(6, result);
        Assert.Equal([1, 2, 4, 4, 4], delays);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_built_policy_does_not_retry_what_it_does_not_accept()
    {
        var calls = 0;
        var retry = new RetryPolicy("test", TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4)).Build(ex => ex is TimeoutException);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            retry.ExecuteAsync<int>(_ => { calls++; throw new InvalidOperationException(); }, CancellationToken.None).AsTask());
        Assert.Equal(1, calls);
    }
}
