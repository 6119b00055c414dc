using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Cli;

/// <summary>
/// <c>fairlane topics ensure</c>: creates the Fairlane topics that are missing, with
/// <c>Kafka:Partitions</c> partitions each (the control topic compacted), and reports every topic's
/// partition count. An existing topic is never altered: adding partitions moves tenants to other
/// partitions, which breaks their order, so that stays a deliberate operator step.
/// </summary>
internal static class TopicsCommand
{
    private const string Timeout = "--timeout";

    public static async Task<int> RunAsync(CommandLine line)
    {
        if (line.Arguments is not ["ensure"]) throw new UsageException("topics needs one verb: ensure.");
        var timeout = TimeSpan.FromSeconds(line.GetInt(Timeout, 30, 1, 600));
        var configuration = CliConfiguration.Build(line.ConfigurationArgs);
        var kafka = configuration.GetValidated<KafkaOptions, KafkaOptionsValidator>(KafkaOptions.Section);
        var worker = configuration.GetValidated<WorkerOptions, WorkerOptionsValidator>(WorkerOptions.Section);
        var factory = new KafkaClientFactory(Microsoft.Extensions.Options.Options.Create(kafka), Microsoft.Extensions.Options.Options.Create(worker));
        using var admin = factory.Admin();

        Dictionary<string, int> existing;
        try
        {
            existing = PartitionCounts(admin, timeout);
        }
        catch (KafkaException ex)
        {
            await Console.Error.WriteLineAsync($"fairlane: Kafka at {kafka.BootstrapServers} did not answer: {ex.Error.Reason}");
            return ExitCodes.Failure;
        }

        var missing = kafka.Topics.All.Where(t => !existing.ContainsKey(t)).ToList();
        var failed = missing.Count == 0 ? [] : await CreateAsync(admin, kafka, missing, timeout);
        if (missing.Count > failed.Count) existing = Refreshed(admin, timeout, existing);

        foreach (var topic in kafka.Topics.All)
        {
            if (failed.TryGetValue(topic, out var reason))
                Console.WriteLine($"{topic}: missing, not created: {reason}");
            else if (existing.TryGetValue(topic, out var partitions))
                Console.WriteLine($"{topic}: {partitions} partitions{(missing.Contains(topic) ? ", created" : "")}" +
                    (partitions == kafka.Partitions ? "" : $" (Kafka:Partitions is {kafka.Partitions}; existing topics are left as they are)"));
            else
                Console.WriteLine($"{topic}: created, not yet visible in the cluster's metadata");
        }
        if (failed.Count == 0) return ExitCodes.Ok;
        await Console.Error.WriteLineAsync($"fairlane: could not create {string.Join(", ", failed.Keys)}; create them with the cluster's own tools " +
            "or give this node the right to create topics, then run 'fairlane topics ensure' again.");
        return ExitCodes.Failure;
    }

    // Metadata of every topic, not of the ones we ask about: asking for a missing topic by name lets a
    // broker with auto.create.topics.enable create it with its own defaults.
    private static Dictionary<string, int> PartitionCounts(IAdminClient admin, TimeSpan timeout) =>
        admin.GetMetadata(timeout).Topics
            .Where(t => t.Error.Code == ErrorCode.NoError)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);

    // After creating: the new counts, or what was known before if the cluster stops answering now
    // (the new topics are then reported as created but not yet visible).
    private static Dictionary<string, int> Refreshed(IAdminClient admin, TimeSpan timeout, Dictionary<string, int> before)
    {
        try
        {
            return PartitionCounts(admin, timeout);
        }
        catch (KafkaException)
        {
            return before;
        }
    }

    /// <summary>Creates the topics; returns the ones that could not be created, with why.</summary>
    private static async Task<Dictionary<string, string>> CreateAsync(IAdminClient admin, KafkaOptions kafka, List<string> topics, TimeSpan timeout)
    {
        var specs = topics.Select(t => new TopicSpecification
        {
            Name = t,
            NumPartitions = kafka.Partitions,
            ReplicationFactor = -1, // the cluster's default.replication.factor
            // Tenant lifecycle commands: only the latest per tenant matters.
            Configs = t == kafka.Topics.Control ? new Dictionary<string, string> { ["cleanup.policy"] = "compact" } : null,
        });
        try
        {
            await admin.CreateTopicsAsync(specs, new CreateTopicsOptions { RequestTimeout = timeout, OperationTimeout = timeout });
            return [];
        }
        catch (CreateTopicsException ex)
        {
            // Another node may have created one meanwhile: that is success.
            return ex.Results.Where(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
                .ToDictionary(r => r.Topic, r => r.Error.Reason, StringComparer.Ordinal);
        }
        catch (KafkaException ex)
        {
            return topics.ToDictionary(t => t, _ => ex.Error.Reason, StringComparer.Ordinal);
        }
    }
}
