using Microsoft.Extensions.Configuration;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Deploy;

/// <summary>
/// Validates a set of FAIRLANE__SECTION__KEY variables (an env file, a compose service) with the
/// daemon's own validators, so a deployment file cannot ship settings the daemon would refuse.
/// </summary>
internal static class FairlaneSettings
{
    public static IReadOnlyList<string> Problems(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(variables
                .Where(v => v.Key.StartsWith("FAIRLANE__", StringComparison.Ordinal))
                .Select(v => new KeyValuePair<string, string?>(v.Key["FAIRLANE__".Length..].Replace("__", ":", StringComparison.Ordinal), v.Value)))
            .Build();
        return Problems(configuration);
    }

    /// <summary>Every problem the daemon's validators (and the binder) find in a configuration, section by section.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        Check<KafkaOptions, KafkaOptionsValidator>(KafkaOptions.Section);
        Check<PostgresOptions, PostgresOptionsValidator>(PostgresOptions.Section);
        Check<RedisOptions, RedisOptionsValidator>(RedisOptions.Section);
        Check<HttpOptions, HttpOptionsValidator>(HttpOptions.Section);
        Check<WorkerOptions, WorkerOptionsValidator>(WorkerOptions.Section);
        Check<EngineOptions, EngineOptionsValidator>(EngineOptions.Section);
        Check<AgentOptions, AgentOptionsValidator>(AgentOptions.Section);
        Check<ChannelOptions, ChannelOptionsValidator>(ChannelOptions.Section);
        Check<Fairlane.Agents.Channels.ChannelResilienceOptions, ChannelResilienceOptionsValidator>(
            Fairlane.Agents.Channels.ChannelResilienceOptions.Section);
        Check<GuardianOptions, GuardianOptionsValidator>(GuardianOptions.Section);
        Check<AdminOptions, AdminOptionsValidator>(AdminOptions.Section);
        Check<RetentionOptions, RetentionOptionsValidator>(RetentionOptions.Section);
        Check<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.Section);
        return problems;

        void Check<TOptions, TValidator>(string section)
            where TOptions : class, new()
            where TValidator : IValidateOptions<TOptions>, new()
        {
            try
            {
                configuration.GetValidated<TOptions, TValidator>(section);
            }
            catch (OptionsValidationException ex)
            {
                problems.AddRange(ex.Failures);
            }
            catch (InvalidOperationException ex)
            {
                problems.Add(ex.Message); // the binder's conversion errors
            }
        }
    }

    /// <summary>KEY=VALUE lines of an EnvironmentFile, without comments and blank lines.</summary>
    public static Dictionary<string, string> ReadEnvFile(string path) =>
        File.ReadLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
