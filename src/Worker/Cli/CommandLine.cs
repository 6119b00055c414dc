using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Fairlane.Worker.Cli;

/// <summary>Thrown for a command line that cannot be run; the message says what to change.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// What a verb is given: the command, its words (the sub-verb first, then the arguments), the options
/// given with their values as typed, and the configuration overrides (such as
/// <c>--Kafka:BootstrapServers=host:9092</c>) passed on to the configuration. System.CommandLine parses and
/// validates; this is the parse as the verbs read it.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public required string Command { get; init; }
    public required string[] ConfigurationArgs { get; init; }
    public IReadOnlyList<string> Arguments { get; private init; } = [];

    /// <summary>Parses <paramref name="args"/> with fairlane's grammar; a parse error is a <see cref="UsageException"/>.</summary>
    public static CommandLine Parse(string[] args)
    {
        var (rest, configuration) = CliArguments.Split(args);
        var parse = FairlaneCommands.Build((_, _) => Task.FromResult(ExitCodes.Ok)).Parse(rest);
        if (parse.Action is FairlaneHelpAction) return new CommandLine { Command = "help", ConfigurationArgs = configuration };
        if (parse.Errors.Count > 0) throw new UsageException(parse.Errors[0].Message);
        return From(parse, configuration);
    }

    /// <summary>The verb's view of a parse without errors; words the grammar did not match are judged here.</summary>
    public static CommandLine From(ParseResult parse, string[] configurationArgs)
    {
        var path = new List<CommandResult>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as CommandResult) path.Insert(0, r);
        var name = string.Join(' ', path.Skip(1).Select(c => c.Command.Name));
        var words = path.Skip(2).Select(c => c.Command.Name)
            .Concat(parse.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value))
            .Concat(parse.UnmatchedTokens)
            .ToList();
        if (words.FirstOrDefault(w => w.StartsWith('-')) is { } stray)
        {
            var help = path.Count == 1 ? "fairlane --help" : $"fairlane {name} --help";
            throw new UsageException($"'{(path.Count == 1 ? "fairlane" : name)}' takes no option '{stray}'. Run '{help}'.");
        }
        if (path.Count == 1 && words.Count > 0)
            throw new UsageException($"Unknown command '{words[0]}'. Run 'fairlane --help' for the list.");

        var line = new CommandLine
        {
            Command = path.Count > 1 ? path[1].Command.Name : "run",
            ConfigurationArgs = configurationArgs,
            Arguments = words,
        };
        foreach (var option in path.SelectMany(c => c.Command.Options).Where(o => o is not HelpOption))
        {
            if (parse.GetResult(option) is { Implicit: false } given)
                line._options[option.Name] = given.Tokens.Count > 0 ? given.Tokens[0].Value : null;
        }
        return line.Command == "run" && line.Has("--version") ? new CommandLine { Command = "version", ConfigurationArgs = configurationArgs } : line;
    }

    /// <summary>A line of one option, for checking that option's value as its verb would.</summary>
    public static CommandLine Of(string command, string option, string? value)
    {
        var line = new CommandLine { Command = command, ConfigurationArgs = [] };
        line._options[option] = value;
        return line;
    }

    public bool Has(string option) => _options.ContainsKey(option);

    /// <summary>The options given, in no particular order.</summary>
    public IEnumerable<string> Options => _options.Keys;

    /// <summary>An option's value; null when it was given without one.</summary>
    public bool TryGet(string option, out string? value) => _options.TryGetValue(option, out value);

    public int GetInt(string option, int defaultValue, int min, int max)
    {
        if (!_options.TryGetValue(option, out var raw)) return defaultValue;
        if (raw is null || !int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException($"{option} takes a whole number from {min} to {max}; got '{raw}'.");
        return value;
    }
}
