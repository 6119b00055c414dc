using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Cli;

/// <summary>Parses `fairlane COMMAND` with <see cref="FairlaneCommands"/>, runs the verb, and turns every failure into a documented exit code.</summary>
internal static class FairlaneCli
{
    /// <summary>The top-level help, as <c>fairlane --help</c> prints it.</summary>
    public static string Usage => CliHelp.Render([]);

    public static async Task<int> RunAsync(string[] args)
    {
        var (rest, configuration) = CliArguments.Split(args);
        var parse = FairlaneCommands.Build((p, _) => DispatchAsync(p, configuration)).Parse(rest);
        // Help and the [suggest] directive answer whatever else the line holds.
        if (parse.Errors.Count > 0 && parse.Action is not { Terminating: true, ClearsParseErrors: true })
        {
            foreach (var error in parse.Errors) await Console.Error.WriteLineAsync($"fairlane: {error.Message}");
            await Console.Error.WriteLineAsync($"Run '{string.Join(' ', ["fairlane", .. CommandPath(parse), "--help"])}'.");
            return ExitCodes.Usage;
        }
        // The daemon and the verbs handle SIGINT/SIGTERM themselves; exceptions end in a documented exit code below.
        return await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
    }

    private static async Task<int> DispatchAsync(System.CommandLine.ParseResult parse, string[] configuration)
    {
        try
        {
            var line = CommandLine.From(parse, configuration);
            return line.Command switch
            {
                "help" => PrintHelp(),
                "version" => PrintVersion(),
                "completion" => CompletionCommand.Run(line),
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

    private static List<string> CommandPath(System.CommandLine.ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r?.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent) names.Insert(0, r.Command.Name);
        return names;
    }

    private static int PrintHelp()
    {
        Console.Write(Usage);
        return ExitCodes.Ok;
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
