using System.CommandLine;
using System.Globalization;

namespace Fairlane.Worker.Cli;

/// <summary>
/// How the verbs declare their options, so every flag, text and number option reads and fails alike:
/// a flag never takes a value (the word after it stays an argument), and a number out of range is a
/// parse error naming the option, reported before anything connects anywhere.
/// </summary>
internal static class CliOptions
{
    /// <summary>The option every verb that prints a result takes to print the admin API's JSON instead.</summary>
    public const string Json = "--json";

    public static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <param name="words">The words shell completion offers for the value (such as <c>none</c>); any other value may still be typed.</param>
    public static Option<string> Text(string name, string value, string description, params string[] words)
    {
        var option = new Option<string>(name) { Description = description, HelpName = value };
        if (words.Length > 0) option.CompletionSources.Add(words);
        return option;
    }

    public static Option<int> Whole(string name, string value, int min, int max, string description) =>
        new(name)
        {
            Description = description,
            HelpName = value,
            CustomParser = result =>
            {
                var raw = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
                result.AddError($"{name} takes a whole number from {min} to {max}; got '{raw}'.");
                return 0;
            },
        };

    /// <summary>A positional argument the verb itself checks, so a missing one gets the verb's own message.</summary>
    public static Argument<string> Value(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };

    public static Command Verb(string name, string description, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option: command.Options.Add(option); break;
                case Argument argument: command.Arguments.Add(argument); break;
                case Command sub: command.Subcommands.Add(sub); break;
            }
        }
        return command;
    }
}
