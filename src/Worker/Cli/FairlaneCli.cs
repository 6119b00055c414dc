using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Cli;

/// <summary>Dispatches `fairlane COMMAND` and turns every failure into a documented exit code.</summary>
internal static class FairlaneCli
{
    private static readonly Dictionary<string, string[]> Commands = new()
    {
        ["run"] = [],
        ["migrate"] = [],
        ["produce"] = ProduceCommand.Options,
        ["tenants"] = TenantsCommand.Options,
        ["guardian"] = GuardianCommand.Options,
        ["topics"] = TopicsCommand.Options,
        ["dlq"] = DlqCommand.Options,
        ["catalog"] = CatalogCommand.Options,
        ["healthcheck"] = [],
        ["help"] = [],
        ["version"] = [],
    };

    public const string Usage = """
        fairlane — multi-tenant inventory-sync worker

        Usage: fairlane [COMMAND] [OPTIONS] [--Section:Key=value ...]

        Commands:
          run                     Run the daemon (the default): consume, process, serve /metrics.
          migrate                 Apply pending database migrations and exit.
          produce --demo N        Send N valid webhook events spread over several tenants.
                  [--tenants K]   How many demo tenants (default 8).
                  [--items M]     How many items per channel (default 50).
          tenants list            List the registered tenants.
          tenants show ID         Show a tenant's status and limits.
          tenants register ID     Register a tenant (a deleted one is reactivated).
                  [--name NAME] [LIMITS]
          tenants set ID LIMITS   Change a tenant's limits; what is not given stays.
          tenants pause ID        Pause a tenant: its events wait in the park.
          tenants resume ID       Resume a paused tenant.
          tenants unregister ID   Unregister a tenant: its events are dead-lettered, its data kept.
                  [--json]        Any tenants verb: print the admin API's JSON instead of text.
          guardian run-now        Lead a reconciliation run now (takes the same lock as the schedule)
                                  and wait until the fleet has reconciled every tenant.
          guardian runs           List the latest runs [--limit N, default 20].
                  [--json]        Either guardian verb: print JSON instead of text.
          topics ensure           Create the missing Fairlane topics (Kafka:Partitions partitions each,
                                  the control topic compacted) and print every topic's partition count.
                  [--timeout S]   How long Kafka may take to answer, in seconds (default 30).
          dlq list                List dead letters, oldest first (up to 1000)
                  [--tenant T] [--reason R] [--since 1h|ISO] [--json]
          dlq replay --reason R   Re-send the dead letters of a reason, not replayed yet, to their origin
                  [--tenant T]    topic once their cause is fixed; an event already applied is skipped.
                  [--dry-run]     Only list what would be replayed.
                  [--again]       Also re-send those replayed before.
          catalog import FILE --tenant ID  Upsert a catalogue file (JSON, or CSV if FILE ends in .csv;
                                  the format of PUT /admin/tenants/{id}/catalog) in one transaction.
          catalog show ID         Show a tenant's products, channels (never their credentials) and mappings.
                  [--json]        Either catalog verb: print the admin API's JSON instead of text.
          healthcheck             Exit 0 when this host's daemon answers /healthz, else 1.
          version                 Print the version.
          help                    Print this help.

        LIMITS (tenants register and set):
          --weight N              Share of worker time, 1-1000 (default 1).
          --concurrency N|auto    Events at once, 1-64, never two of one item (default auto:
                                  min(Engine:Workers, ceil(Engine:Workers / 2) x weight)).
          --ordering item|tenant  What runs in order: each item (default), or the whole tenant,
                                  one event at a time.
          --rate N|none           Events per second, greater than 0 (default none).
          --max-queue-depth N|none  Events held in memory before parking (default: Engine:TenantQueueDepth).
          --monthly-budget N|none   Jobs per month, 0 or more (default none).
        The tenants verbs work against PostgreSQL directly (no running node needed) and announce
        each change on Redis, so running nodes apply it at once.

        Configuration comes from appsettings.json, appsettings.{DOTNET_ENVIRONMENT}.json,
        FAIRLANE__SECTION__KEY environment variables and --Section:Key=value arguments,
        each overriding the one before. See README.md for every setting.

        Exit codes:
          0  finished, or stopped by SIGINT/SIGTERM
          1  failed at run time (dependency unreachable at start, service faulted, migration failed,
             unknown tenant, tenant already registered, a topic could not be created)
          2  bad command line, or an invalid catalogue file (the message names the field)
          3  a setting is missing or invalid (the message names it)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        CommandLine line;
        try
        {
            line = CommandLine.Parse(args, Commands, TenantsCommand.Flags);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"fairlane: {ex.Message}");
            return ExitCodes.Usage;
        }
        if (line.Has("--help") || line.Command == "help")
        {
            Console.WriteLine(Usage);
            return ExitCodes.Ok;
        }

        try
        {
            return line.Command switch
            {
                "version" => PrintVersion(),
                "migrate" => await MigrateCommand.RunAsync(line),
                "produce" => await ProduceCommand.RunAsync(line),
                "tenants" => await TenantsCommand.RunAsync(line),
                "guardian" => await GuardianCommand.RunAsync(line),
                "topics" => await TopicsCommand.RunAsync(line),
                "dlq" => await DlqCommand.RunAsync(line),
                "catalog" => await CatalogCommand.RunAsync(line),
                "healthcheck" => await HealthCheckCommand.RunAsync(line),
                _ => await RunCommand.RunAsync(line),
            };
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"fairlane: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ConfigurationProblem(ex) is { } problem)
        {
            await Console.Error.WriteLineAsync($"fairlane: invalid configuration:{Environment.NewLine}{problem}");
            return ExitCodes.Configuration;
        }
    }

    private static int PrintVersion()
    {
        Console.WriteLine(Infrastructure.BuildVersion.Current);
        return ExitCodes.Ok;
    }

    /// <summary>The settings at fault, one per line, if <paramref name="ex"/> is a configuration error.</summary>
    public static string? ConfigurationProblem(Exception ex) => ex switch
    {
        OptionsValidationException v => string.Join(Environment.NewLine, v.Failures.SelectMany(f => f.Split("; ")).Select(f => "  - " + f)),
        // The binder's conversion errors name the key: "Failed to convert configuration value at 'Kafka:Partitions' ...".
        InvalidOperationException { Message: var m } when m.Contains("configuration value", StringComparison.Ordinal) => "  - " + m,
        AggregateException a when a.InnerExceptions.All(e => ConfigurationProblem(e) is not null) =>
            string.Join(Environment.NewLine, a.InnerExceptions.Select(e => ConfigurationProblem(e))),
        _ when ex.InnerException is not null => ConfigurationProblem(ex.InnerException),
        _ => null,
    };
}
