using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Fairlane.Worker.Cli;

/// <summary>
/// The generated help, at a fixed width so that it reads the same in any terminal and in README.md,
/// followed on the top-level help by what a grammar cannot say: the usual forms, the configuration
/// sources and the exit codes.
/// </summary>
internal sealed class FairlaneHelpAction(HelpAction generated) : SynchronousCommandLineAction
{
    /// <summary>The width the help is wrapped at; README.md's CLI reference is rendered at it too.</summary>
    public const int Width = 100;

    public const string Epilogue = """
        Usual forms:
          fairlane [--Section:Key=value ...]              run the daemon
          fairlane produce --demo N [--tenants K]
          fairlane tenants register ID [--name NAME] [--weight N] [--concurrency N|auto] ...
          fairlane dlq replay --reason R [--dry-run]
          fairlane completion bash                        shell completion: source <(fairlane completion bash)
        Run 'fairlane COMMAND --help' for a command's options.

        Configuration comes from appsettings.json, appsettings.{DOTNET_ENVIRONMENT}.json,
        FAIRLANE__SECTION__KEY environment variables and --Section:Key=value arguments (given anywhere on
        the command line), each overriding the one before. See README.md for every setting.

        Exit codes:
          0  finished, or stopped by SIGINT/SIGTERM
          1  failed at run time (dependency unreachable at start, service faulted, migration failed,
             unknown tenant, tenant already registered, a topic could not be created)
          2  bad command line, or an invalid catalogue file (the message names the field)
          3  a setting is missing or invalid (the message names it)
        """;

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        generated.MaxWidth = Width;
        var configuration = parseResult.InvocationConfiguration;
        var output = configuration.Output;
        using var text = new StringWriter();
        configuration.Output = text;
        int code;
        try
        {
            code = generated.Invoke(parseResult);
        }
        finally
        {
            configuration.Output = output;
        }
        output.Write(Tidy(text.ToString(), parseResult.RootCommandResult.Command.Name));
        if (parseResult.CommandResult.Command is RootCommand)
        {
            output.WriteLine(Epilogue);
            output.WriteLine();
        }
        return code;
    }

    // Words the grammar does not match are configuration overrides (or the verb's to judge), not
    // "arguments passed to the application" as the stock text has it. The program is named fairlane
    // whatever host runs it (a test host renders README.md's reference), and lines lose the blanks left
    // at their wrap point, so the help reads the same in README.md.
    private static string Tidy(string help, string program)
    {
        var lines = help.ReplaceLineEndings("\n")
            .Replace($"Usage:\n  {program} ", "Usage:\n  fairlane ", StringComparison.Ordinal)
            .Replace("[[--] <additional arguments>...]]", "[--Section:Key=value ...]", StringComparison.Ordinal)
            .Replace("Additional Arguments:\n  Arguments passed to the application that is being run.\n\n", "", StringComparison.Ordinal)
            .Split('\n')
            .Select(l => l.TrimEnd());
        return string.Join(Environment.NewLine, lines);
    }
}
