using System.Globalization;

namespace Fairlane.LoadTest;

/// <summary>The flags of a load run; every one has a default so a bare run works against the dev stack.</summary>
internal sealed record LoadTestOptions
{
    public string BootstrapServers { get; init; } = Environment.GetEnvironmentVariable("FAIRLANE__KAFKA__BOOTSTRAPSERVERS") ?? "";
    public string TopicPrefix { get; init; } = "fairlane";
    public string Postgres { get; init; } = "Host=127.0.0.1;Port=55432;Database=fairlane;Username=fairlane;Password=fairlane";
    public int Tenants { get; init; } = 30;
    public double RatePerSecond { get; init; } = 10;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public const string Usage = """
        fairlane-loadtest — open-loop webhook load against a running Fairlane fleet

        Usage: fairlane-loadtest [--bootstrap HOST:PORT] [--topic-prefix P] [--postgres CONNSTR]
                                 [--tenants N] [--rate EVENTS_PER_S] [--duration SECONDS] [--drain-timeout SECONDS]

        --bootstrap defaults to $FAIRLANE__KAFKA__BOOTSTRAPSERVERS (scripts/run-dev.sh prints it).
        Sends stock.changed events at a fixed rate spread evenly over N tenants, waits until every
        one is in processed_events, and reports throughput and end-to-end latency (produced-at
        header to effect committed), overall and per tenant, plus lost and duplicated effects.
        --postgres is the schema owner's connection (it reads across tenants).
        """;

    public static LoadTestOptions Parse(string[] args)
    {
        var o = new LoadTestOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            double Number(string name) => double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v : throw new ArgumentException($"{name} takes a positive number.");
            o = args[i] switch
            {
                "--bootstrap" => o with { BootstrapServers = Next() },
                "--topic-prefix" => o with { TopicPrefix = Next() },
                "--postgres" => o with { Postgres = Next() },
                "--tenants" => o with { Tenants = (int)Number("--tenants") },
                "--rate" => o with { RatePerSecond = Number("--rate") },
                "--duration" => o with { Duration = TimeSpan.FromSeconds(Number("--duration")) },
                "--drain-timeout" => o with { DrainTimeout = TimeSpan.FromSeconds(Number("--drain-timeout")) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }
        if (string.IsNullOrWhiteSpace(o.BootstrapServers))
            throw new ArgumentException("--bootstrap is required (or set FAIRLANE__KAFKA__BOOTSTRAPSERVERS).");
        return o;
    }
}
