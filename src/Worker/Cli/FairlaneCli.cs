using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Cli;

/// <summary>Dispatches `fairlane COMMAND` and turns every failure into a documented exit code.</summary>
internal static class FairlaneCli
{
    private static readonly Dictionary<string, string[]> Commands = new()
    {
        ["run"] = [],
        ["migrate"] = [],
        ["produce"] = ["--demo", "--tenants"],
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
          healthcheck             Exit 0 when this host's daemon answers /healthz, else 1.
          version                 Print the version.
          help                    Print this help.

        Configuration comes from appsettings.json, appsettings.{DOTNET_ENVIRONMENT}.json,
        FAIRLANE__SECTION__KEY environment variables and --Section:Key=value arguments,
        each overriding the one before. See README.md for every setting.

        Exit codes:
          0  finished, or stopped by SIGINT/SIGTERM
          1  failed at run time (dependency unreachable at start, service faulted, migration failed)
          2  bad command line
          3  a setting is missing or invalid (the message names it)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        CommandLine line;
        try
        {
            line = CommandLine.Parse(args, Commands);
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
        Console.WriteLine(Hosting.BuildVersion.Current);
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
