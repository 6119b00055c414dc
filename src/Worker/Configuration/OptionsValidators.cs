using Microsoft.Extensions.Options;
using Npgsql;

namespace Fairlane.Worker.Configuration;

internal sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions o)
    {
        var e = new SettingErrors(KafkaOptions.Section);
        if (string.IsNullOrWhiteSpace(o.BootstrapServers))
            e.Add(nameof(o.BootstrapServers), "is required: the host:port list of the Kafka brokers.");
        else if (o.BootstrapServers.Split(',').Any(s => !Endpoints.IsHostPort(s.Trim())))
            e.Add(nameof(o.BootstrapServers), $"must be a comma-separated host:port list; got '{o.BootstrapServers}'.");
        e.Require(!string.IsNullOrWhiteSpace(o.GroupId), nameof(o.GroupId), "must not be empty.");
        e.Require(IsTopicPrefix(o.TopicPrefix), nameof(o.TopicPrefix),
            $"must be 1-100 characters of letters, digits, '.', '_' or '-'; got '{o.TopicPrefix}'.");
        e.Require(o.Partitions is >= 1 and <= 10_000, nameof(o.Partitions), $"must be between 1 and 10000; got {o.Partitions}.");
        e.Require(o.SessionTimeoutMs is >= 1_000 and <= 300_000, nameof(o.SessionTimeoutMs), $"must be between 1000 and 300000; got {o.SessionTimeoutMs}.");
        e.Require(o.CommitIntervalMs is >= 100 and <= 60_000, nameof(o.CommitIntervalMs), $"must be between 100 and 60000; got {o.CommitIntervalMs}.");
        e.Require(o.FetchWaitMaxMs is >= 1 and <= 10_000, nameof(o.FetchWaitMaxMs), $"must be between 1 and 10000; got {o.FetchWaitMaxMs}.");
        e.Require(o.PrefetchKbytes is >= 1_024 and <= 2_097_151, nameof(o.PrefetchKbytes), $"must be between 1024 and 2097151; got {o.PrefetchKbytes}.");
        e.Require(o.MaxMessageBytes is >= 1_024 and <= 100 * 1024 * 1024, nameof(o.MaxMessageBytes), $"must be between 1024 and 104857600; got {o.MaxMessageBytes}.");
        // librdkafka's own bounds for message.max.bytes.
        e.Require(o.DeadLetterMaxMessageBytes is null or (>= 1_000 and <= 1_000_000_000), nameof(o.DeadLetterMaxMessageBytes),
            $"must be between 1000 and 1000000000, or unset; got {o.DeadLetterMaxMessageBytes}.");
        return e.Result();
    }

    private static bool IsTopicPrefix(string p) =>
        p is { Length: >= 1 and <= 100 } && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}

internal sealed class PostgresOptionsValidator : IValidateOptions<PostgresOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresOptions o)
    {
        var e = new SettingErrors(PostgresOptions.Section);
        CheckConnectionString(e, nameof(o.ConnectionString), o.ConnectionString);
        CheckConnectionString(e, nameof(o.OwnerConnectionString), o.OwnerConnectionString);
        e.Require(!string.IsNullOrWhiteSpace(o.AppRole), nameof(o.AppRole), "must name the application role.");
        return e.Result();
    }

    private static void CheckConnectionString(SettingErrors e, string key, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            e.Add(key, "is required, e.g. 'Host=127.0.0.1;Port=5432;Database=fairlane;Username=...;Password=...'.");
            return;
        }
        try
        {
            var b = new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrWhiteSpace(b.Host)) e.Add(key, "has no Host.");
            if (string.IsNullOrWhiteSpace(b.Database)) e.Add(key, "has no Database.");
        }
        catch (ArgumentException ex)
        {
            // Never echo the value: it may hold a password.
            e.Add(key, $"is not a valid connection string: {ex.Message}");
        }
    }
}

internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions o)
    {
        var e = new SettingErrors(RedisOptions.Section);
        if (o.Endpoints.Count == 0)
            e.Add(nameof(o.Endpoints), "needs at least one host:port (use Redis:Endpoints:0, Redis:Endpoints:1, ...).");
        for (var i = 0; i < o.Endpoints.Count; i++)
        {
            if (!Endpoints.IsHostPort(o.Endpoints[i]))
                e.Add($"{nameof(o.Endpoints)}:{i}", $"must be host:port; got '{o.Endpoints[i]}'.");
        }
        if (o.Endpoints.Distinct(StringComparer.OrdinalIgnoreCase).Count() != o.Endpoints.Count)
            e.Add(nameof(o.Endpoints), "lists the same node twice; RedLock needs independent nodes.");
        e.Require(!string.IsNullOrEmpty(o.KeyPrefix), nameof(o.KeyPrefix), "must not be empty.");
        e.Require(o.ConnectTimeoutMs is >= 100 and <= 60_000, nameof(o.ConnectTimeoutMs), $"must be between 100 and 60000; got {o.ConnectTimeoutMs}.");
        return e.Result();
    }
}

internal sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions o)
    {
        var e = new SettingErrors(HttpOptions.Section);
        e.Require(System.Net.IPAddress.TryParse(o.BindAddress, out _), nameof(o.BindAddress), $"must be an IP address; got '{o.BindAddress}'.");
        e.Require(o.MetricsPort is >= 1 and <= 65535, nameof(o.MetricsPort), $"must be a port between 1 and 65535; got {o.MetricsPort}.");
        return e.Result();
    }
}

internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions o)
    {
        var e = new SettingErrors(WorkerOptions.Section);
        e.Require(!string.IsNullOrWhiteSpace(o.NodeId), nameof(o.NodeId), "must not be empty.");
        foreach (var agent in o.Agents.Where(a => !a.Equals("all", StringComparison.OrdinalIgnoreCase)
                                                  && !WorkerOptions.KnownAgents.Contains(a, StringComparer.OrdinalIgnoreCase)))
        {
            e.Add(nameof(o.Agents), $"names unknown agent '{agent}'; known: all, {string.Join(", ", WorkerOptions.KnownAgents)}.");
        }
        e.Require(o.ShutdownGraceMs is >= 0 and <= 600_000, nameof(o.ShutdownGraceMs), $"must be between 0 and 600000; got {o.ShutdownGraceMs}.");
        return e.Result();
    }
}

internal sealed class EngineOptionsValidator : IValidateOptions<EngineOptions>
{
    private const long MiB = 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, EngineOptions o)
    {
        var e = new SettingErrors(EngineOptions.Section);
        e.Require(o.Workers is >= 1 and <= 1_024, nameof(o.Workers), $"must be between 1 and 1024; got {o.Workers}.");
        e.Require(o.QuantumMs is >= 1 and <= 10_000, nameof(o.QuantumMs), $"must be between 1 and 10000; got {o.QuantumMs}.");
        e.Require(o.RunBudgetMs is >= 1 and <= 60_000, nameof(o.RunBudgetMs), $"must be between 1 and 60000; got {o.RunBudgetMs}.");
        e.Require(o.TenantQueueDepth is >= 1 and <= 1_000_000, nameof(o.TenantQueueDepth), $"must be between 1 and 1000000; got {o.TenantQueueDepth}.");
        e.Require(o.BufferHighWatermark >= 100, nameof(o.BufferHighWatermark), $"must be at least 100; got {o.BufferHighWatermark}.");
        e.Require(o.BufferLowWatermark >= 0 && o.BufferLowWatermark < o.BufferHighWatermark, nameof(o.BufferLowWatermark),
            $"must be at least 0 and below Engine:BufferHighWatermark ({o.BufferHighWatermark}); got {o.BufferLowWatermark}.");
        e.Require(o.BufferHighWatermarkBytes is >= MiB and <= 64L * 1024 * MiB, nameof(o.BufferHighWatermarkBytes),
            $"must be between {MiB} (1 MiB) and {64L * 1024 * MiB} (64 GiB); got {o.BufferHighWatermarkBytes}.");
        e.Require(o.MaxAttempts is >= 1 and <= 1_000, nameof(o.MaxAttempts), $"must be between 1 and 1000; got {o.MaxAttempts}.");
        e.Require(o.RetryBaseMs is >= 1 and <= 600_000, nameof(o.RetryBaseMs), $"must be between 1 and 600000; got {o.RetryBaseMs}.");
        e.Require(o.RetryMaxMs >= o.RetryBaseMs && o.RetryMaxMs <= 3_600_000, nameof(o.RetryMaxMs), $"must be between Engine:RetryBaseMs and 3600000; got {o.RetryMaxMs}.");
        e.Require(o.RevokeGraceMs is >= 0 and <= 120_000, nameof(o.RevokeGraceMs), $"must be between 0 and 120000; got {o.RevokeGraceMs}.");
        e.Require(o.MaxBatchSize is >= 1 and <= 10_000, nameof(o.MaxBatchSize), $"must be between 1 and 10000; got {o.MaxBatchSize}.");
        e.Require(o.ParkBatchSize is >= 1 and <= 10_000, nameof(o.ParkBatchSize), $"must be between 1 and 10000; got {o.ParkBatchSize}.");
        e.Require(o.TenantRefreshMs is >= 100 and <= 600_000, nameof(o.TenantRefreshMs), $"must be between 100 and 600000; got {o.TenantRefreshMs}.");
        e.Require(o.TenantMetricsTopN is >= 0 and <= 1_000, nameof(o.TenantMetricsTopN), $"must be between 0 and 1000; got {o.TenantMetricsTopN}.");
        e.Require(o.ArtificialHandlerDelayMs is >= 0 and <= 60_000, nameof(o.ArtificialHandlerDelayMs), $"must be between 0 and 60000; got {o.ArtificialHandlerDelayMs}.");
        return e.Result();
    }
}

internal static class Endpoints
{
    public static bool IsHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && colon < value.Length - 1
               && int.TryParse(value.AsSpan(colon + 1), out var port) && port is >= 1 and <= 65535;
    }
}

internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions o)
    {
        var e = new SettingErrors(AgentOptions.Section);
        e.Require(o.OutboxPollMs is >= 1 and <= 60_000, nameof(o.OutboxPollMs), $"must be between 1 and 60000; got {o.OutboxPollMs}.");
        e.Require(o.OutboxBatchSize is >= 1 and <= 10_000, nameof(o.OutboxBatchSize), $"must be between 1 and 10000; got {o.OutboxBatchSize}.");
        e.Require(o.OutboxRetentionHours is >= 0 and <= 24 * 90, nameof(o.OutboxRetentionHours), $"must be between 0 and 2160; got {o.OutboxRetentionHours}.");
        e.Require(o.SyncFailureThreshold is >= 1 and <= 100_000, nameof(o.SyncFailureThreshold), $"must be between 1 and 100000; got {o.SyncFailureThreshold}.");
        e.Require(o.SyncHealthWindowMinutes is >= 1 and <= 24 * 60, nameof(o.SyncHealthWindowMinutes), $"must be between 1 and 1440; got {o.SyncHealthWindowMinutes}.");
        e.Require(o.SyncHandoff is "direct" or "topic", nameof(o.SyncHandoff), $"must be 'direct' or 'topic'; got '{o.SyncHandoff}'.");
        e.Require(o.SyncDebounceMs is >= 0 and <= 60_000, nameof(o.SyncDebounceMs), $"must be between 0 and 60000; got {o.SyncDebounceMs}.");
        e.Require(o.SyncProductsPerPass is >= 1 and <= 10_000, nameof(o.SyncProductsPerPass), $"must be between 1 and 10000; got {o.SyncProductsPerPass}.");
        e.Require(o.SyncMaxProductsPerPass >= o.SyncProductsPerPass && o.SyncMaxProductsPerPass <= 100_000, nameof(o.SyncMaxProductsPerPass),
            $"must be at least Agents:SyncProductsPerPass ({o.SyncProductsPerPass}) and at most 100000; got {o.SyncMaxProductsPerPass}.");
        e.Require(o.SyncMaxPassesInFlight is >= 1 and <= 1_000, nameof(o.SyncMaxPassesInFlight), $"must be between 1 and 1000; got {o.SyncMaxPassesInFlight}.");
        e.Require(o.SyncChannelConcurrency is >= 1 and <= 64, nameof(o.SyncChannelConcurrency), $"must be between 1 and 64; got {o.SyncChannelConcurrency}.");
        e.Require(o.SyncLeaseSeconds is >= 1 and <= 3_600, nameof(o.SyncLeaseSeconds), $"must be between 1 and 3600; got {o.SyncLeaseSeconds}.");
        e.Require(o.SyncPollMs is >= 10 and <= 60_000, nameof(o.SyncPollMs), $"must be between 10 and 60000; got {o.SyncPollMs}.");
        return e.Result();
    }
}

internal sealed class ChannelOptionsValidator : IValidateOptions<ChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, ChannelOptions o)
    {
        try
        {
            _ = Fairlane.Agents.Channels.CredentialProtector.FromBase64(o.CredentialKey);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message); // names Channels:CredentialKey and its variable
        }
    }
}

internal sealed class ChannelResilienceOptionsValidator : IValidateOptions<Fairlane.Agents.Channels.ChannelResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, Fairlane.Agents.Channels.ChannelResilienceOptions o)
    {
        var problems = o.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

internal sealed class GuardianOptionsValidator : IValidateOptions<GuardianOptions>
{
    public ValidateOptionsResult Validate(string? name, GuardianOptions o)
    {
        var e = new SettingErrors(GuardianOptions.Section);
        e.Require(Quartz.CronExpression.IsValidExpression(o.Cron), nameof(o.Cron),
            $"must be a Quartz cron expression with seconds, e.g. '0 0/15 * * * ?'; got '{o.Cron}'.");
        e.Require(o.DriftThreshold is >= 0 and <= 1_000_000, nameof(o.DriftThreshold), $"must be between 0 and 1000000; got {o.DriftThreshold}.");
        e.Require(o.LockTtlMs is >= 1_000 and <= 600_000, nameof(o.LockTtlMs), $"must be between 1000 and 600000; got {o.LockTtlMs}.");
        e.Require(o.MaxRunMs >= o.LockTtlMs && o.MaxRunMs <= 86_400_000, nameof(o.MaxRunMs),
            $"must be at least Guardian:LockTtlMs ({o.LockTtlMs}) and at most 86400000; got {o.MaxRunMs}.");
        e.Require(o.PollMs is >= 10 and <= 10_000, nameof(o.PollMs), $"must be between 10 and 10000; got {o.PollMs}.");
        return e.Result();
    }
}
