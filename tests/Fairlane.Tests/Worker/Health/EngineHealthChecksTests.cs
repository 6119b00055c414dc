using Fairlane.Worker.Configuration;
using Fairlane.Worker.Health;
using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Fairlane.Tests.Worker.Health;

/// <summary>The engine's own readiness checks against the limits of the Health settings.</summary>
public sealed class EngineHealthChecksTests
{
    private static readonly IOptions<HealthOptions> Limits = Options.Create(new HealthOptions { MaxPausedSeconds = 60, MaxCommitAgeSeconds = 120 });

    private static async Task<HealthCheckResult> RunAsync(IHealthCheck check) => await check.CheckHealthAsync(new HealthCheckContext());

    [Fact(Timeout = 10_000)]
    public async Task Consumption_paused_longer_than_the_setting_is_unhealthy_and_healthy_once_resumed()
    {
        var time = new FakeTimeProvider();
        var signals = new HealthSignals(time);
        var check = new ConsumptionHealthCheck(signals, Limits);

        signals.ConsumptionPaused(true);
        time.Advance(TimeSpan.FromSeconds(59));
        signals.ConsumptionPaused(true); // a repeated pause keeps the first time
        Assert.Equal(HealthStatus.Healthy, (await RunAsync(check)).Status);
        time.Advance(TimeSpan.FromSeconds(2));
        var paused = await RunAsync(check);
        Assert.Equal(HealthStatus.Unhealthy, paused.Status);
        Assert.Contains("Health:MaxPausedSeconds", paused.Description);

        signals.ConsumptionPaused(false);
        Assert.Equal(HealthStatus.Healthy, (await RunAsync(check)).Status);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_oldest_commit_age_beyond_the_setting_is_unhealthy_and_names_its_partition()
    {
        var signals = new HealthSignals(new FakeTimeProvider());
        var check = new CommitsHealthCheck(signals, Limits);
        signals.CommitAge("t.webhooks", TimeSpan.FromSeconds(30), "t.webhooks/0");
        signals.CommitAge("t.sync", TimeSpan.FromSeconds(121), "t.sync/3");

        var stuck = await RunAsync(check);
        Assert.Equal(HealthStatus.Unhealthy, stuck.Status);
        Assert.StartsWith("t.sync/3 has not committed for 121 s", stuck.Description);

        signals.CommitAge("t.sync", TimeSpan.Zero, ""); // committed again, or nothing waits
        Assert.Equal(HealthStatus.Healthy, (await RunAsync(check)).Status);
    }

    [Theory]
    [InlineData(0, 300, "Health:MaxPausedSeconds")]
    [InlineData(300, 0, "Health:MaxCommitAgeSeconds")]
    public void Out_of_range_limits_are_named(int paused, int commitAge, string setting)
    {
        var result = new HealthOptionsValidator().Validate(Options.DefaultName, new HealthOptions { MaxPausedSeconds = paused, MaxCommitAgeSeconds = commitAge });
        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage);
    }
}
