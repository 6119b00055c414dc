using Fairlane.Tests.Deploy;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Worker.Configuration;

/// <summary>
/// Each setting's rule, checked without a host: the bad value is bound from configuration as the host binds
/// it, and every section's validator runs on the result. That the host registers these validators is checked
/// here on a built host; that a bad setting then stops the process with exit code 3 naming it, once, by the
/// host-level tests (ProcessTests, AdminStartupTests).
/// </summary>
public sealed class SettingValidationTests
{
    // Settings that pass every validator, so a failure below is the row's own.
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Kafka:BootstrapServers"] = "127.0.0.1:1",
        ["Postgres:ConnectionString"] = "Host=127.0.0.1;Database=x",
        ["Postgres:OwnerConnectionString"] = "Host=127.0.0.1;Database=x",
        ["Redis:Endpoints:0"] = "127.0.0.1:1",
        ["Http:MetricsPort"] = "9464",
        ["Admin:Port"] = "9465",
        ["Admin:Token"] = InProcessWorker.AdminToken,
        ["Channels:CredentialKey"] = TestServers.CredentialKey,
    };

    /// <summary>Every failure the sections report for these settings, binding errors included, one per line.</summary>
    private static string Failures(IDictionary<string, string?> settings) =>
        string.Join("\n", FairlaneSettings.Problems(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));

    [Fact]
    public void The_baseline_settings_pass_every_validator() => Assert.Equal("", Failures(Valid));

    [Theory]
    [InlineData("Kafka:BootstrapServers", "", "Kafka:BootstrapServers")]
    [InlineData("Kafka:Partitions", "lots", "Kafka:Partitions")]
    [InlineData("Kafka:SessionTimeoutMs", "5", "Kafka:SessionTimeoutMs")]
    [InlineData("Kafka:PrefetchKbytes", "100", "Kafka:PrefetchKbytes")]
    [InlineData("Kafka:DeadLetterMaxMessageBytes", "10", "Kafka:DeadLetterMaxMessageBytes")]
    [InlineData("Postgres:ConnectionString", "", "Postgres:ConnectionString")]
    [InlineData("Redis:Endpoints:0", "no-port", "Redis:Endpoints:0")]
    [InlineData("Http:MetricsPort", "70000", "Http:MetricsPort")]
    [InlineData("Worker:Agents:0", "janitor", "Worker:Agents")]
    [InlineData("Channels:CredentialKey", "too-short", "Channels:CredentialKey")]
    [InlineData("Channels:Resilience:MaxRetryAttempts", "-1", "Channels:Resilience:MaxRetryAttempts")]
    [InlineData("Agents:OutboxBatchSize", "0", "Agents:OutboxBatchSize")]
    [InlineData("Agents:SyncHandoff", "kafka", "Agents:SyncHandoff")]
    [InlineData("Retention:ProcessedEventsDays", "0", "Retention:ProcessedEventsDays")]
    [InlineData("Guardian:Cron", "every minute", "Guardian:Cron")]
    [InlineData("Engine:BufferHighWatermarkBytes", "1024", "Engine:BufferHighWatermarkBytes")]
    [InlineData("Admin:Token", "s3cr3t-tok", "Admin:Token")]
    public void An_invalid_setting_fails_validation_with_a_message_naming_it(string key, string value, string setting)
    {
        var failures = Failures(new Dictionary<string, string?>(Valid) { [key] = value });

        Assert.Contains(setting, failures);
    }

    /// <summary>
    /// The rules above stop startup only if the host runs them: every validator of the worker is registered
    /// with the host (built, not started, so nothing is contacted).
    /// </summary>
    [Fact]
    public async Task The_host_registers_every_validator()
    {
        var validators = typeof(KafkaOptionsValidator).Assembly.GetTypes()
            .SelectMany(t => t.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidateOptions<>))
                .Select(i => (Validator: t, Service: i)))
            .ToList();
        await using var app = FairlaneHost.Build(Valid.Select(s => $"--{s.Key}={s.Value}").ToArray());

        Assert.True(validators.Count >= 12, $"found only {validators.Count} validators");
        Assert.All(validators, v => Assert.Contains(app.Services.GetServices(v.Service), registered => registered?.GetType() == v.Validator));
    }
}
