using System.Globalization;
using Fairlane.Contracts;

namespace Fairlane.DevKafka;

/// <summary>The command line of <c>fairlane-devkafka</c>.</summary>
internal sealed record DevKafkaOptions
{
    public const string Usage = """
        Usage: fairlane-devkafka [options]

        Runs an in-memory Kafka cluster (librdkafka's mock cluster) on loopback ports until
        SIGINT or SIGTERM. Prints "bootstrap=<servers>" on stdout once ready; logs go to stderr.

        Options:
          --brokers N                Broker count, ids 1..N (default 3).
          --topics LIST              Topics to create, "name:partitions,name:partitions"; a name
                                     without ":partitions" gets 24 (default: the six Fairlane
                                     topics, 24 partitions each).
          --replication-factor N     Replicas per partition, 1..brokers (default min(3, brokers)).
                                     With 2 or more, partitions of a broker set down move to
                                     another replica; with 1 they are offline until it returns.
          --rebalance-delay-ms N     Delay of a new consumer group's first assignment
                                     (default 0; Kafka and the mock default to 3000).
          --bootstrap-file PATH      Also write the bootstrap servers to PATH, atomically;
                                     the file is removed on exit.
          --control-port P           Serve the control API on http://127.0.0.1:P/ (default 0: off).
          --help                     Show this text.

        Control API (loopback only):
          GET  /bootstrap                       the bootstrap servers
          POST /brokers/{id}/down               204; take a broker down
          POST /brokers/{id}/up                 204; bring it back
          POST /topics/{name}?partitions=N[&replicationFactor=R]
                                                201; 409 if the topic exists
        """;

    public int Brokers { get; init; } = 3;

    public IReadOnlyList<(string Name, int Partitions)> Topics { get; init; } =
        [.. new Topics().All.Select(t => (t, Contracts.Topics.DefaultPartitions))];

    /// <summary>Null: the cluster's default for its broker count.</summary>
    public int? ReplicationFactor { get; init; }

    public int RebalanceDelayMs { get; init; } = MockCluster.DefaultInitialRebalanceDelayMs;

    public string? BootstrapFile { get; init; }

    /// <summary>0: no control API.</summary>
    public int ControlPort { get; init; }

    public bool Help { get; init; }

    /// <summary>Parses the arguments.</summary>
    /// <exception cref="FormatException">An argument is unknown, missing its value or invalid; the message names it.</exception>
    public static DevKafkaOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DevKafkaOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count) throw new FormatException($"{arg} needs a value");
                return args[++i];
            }

            options = arg switch
            {
                "--help" or "-h" => options with { Help = true },
                "--brokers" => options with { Brokers = Int(arg, Value(), 1, 100) },
                "--topics" => options with { Topics = ParseTopics(Value()) },
                "--replication-factor" => options with { ReplicationFactor = Int(arg, Value(), 1, 100) },
                "--rebalance-delay-ms" => options with { RebalanceDelayMs = Int(arg, Value(), 0, 300_000) },
                "--bootstrap-file" => options with { BootstrapFile = NonEmpty(arg, Value()) },
                "--control-port" => options with { ControlPort = Int(arg, Value(), 0, 65535) },
                _ => throw new FormatException($"unknown argument '{args[i]}'"),
            };
        }

        if (options.ReplicationFactor > options.Brokers)
        {
            throw new FormatException(
                $"--replication-factor {options.ReplicationFactor} exceeds --brokers {options.Brokers}");
        }
        return options;
    }

    private static List<(string, int)> ParseTopics(string value)
    {
        var topics = new List<(string Name, int Partitions)>();
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = item.LastIndexOf(':');
            var name = colon < 0 ? item : item[..colon];
            var partitions = colon < 0 ? Contracts.Topics.DefaultPartitions : Int("--topics", item[(colon + 1)..], 1, 10_000);
            if (!MockCluster.IsValidTopicName(name))
            {
                throw new FormatException($"--topics: '{name}' is not a valid topic name (A-Z a-z 0-9 . _ -, at most 249)");
            }
            if (topics.Exists(t => t.Name == name)) throw new FormatException($"--topics: '{name}' is listed twice");
            topics.Add((name, partitions));
        }
        return topics.Count > 0 ? topics : throw new FormatException("--topics: no topic given");
    }

    private static int Int(string arg, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{arg}: '{value}' is not a whole number from {min} to {max}");

    private static string NonEmpty(string arg, string value) =>
        value.Length > 0 ? value : throw new FormatException($"{arg} needs a non-empty value");
}
