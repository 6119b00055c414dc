using System.Globalization;

namespace Fairlane.Worker.Cli;

/// <summary>Thrown for a command line that cannot be run; the message says what to change.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The parsed command line: a command, its own options, and the rest (configuration overrides such as
/// <c>--Kafka:BootstrapServers=host:9092</c>) passed on to the configuration.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public required string Command { get; init; }
    public required string[] ConfigurationArgs { get; init; }
    public IReadOnlyList<string> Arguments { get; private init; } = [];

    /// <param name="flags">Options that never take a value (<c>--json</c>), so the word after one is an argument.</param>
    public static CommandLine Parse(string[] args, IReadOnlyDictionary<string, string[]> commandOptions, IReadOnlySet<string>? flags = null)
    {
        var (command, rest) = args switch
        {
            [] => ("run", args),
            ["--help" or "-h", ..] => ("help", args[1..]),
            ["--version", ..] => ("version", args[1..]),
            [var first, ..] when !first.StartsWith('-') => (first, args[1..]),
            _ => ("run", args),
        };
        if (!commandOptions.TryGetValue(command, out var known))
            throw new UsageException($"Unknown command '{command}'. Run 'fairlane --help' for the list.");

        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var arguments = new List<string>();
        var configuration = new List<string>();
        for (var i = 0; i < rest.Length; i++)
        {
            var arg = rest[i];
            if (arg.Contains(':', StringComparison.Ordinal) && arg.StartsWith("--", StringComparison.Ordinal))
            {
                configuration.Add(arg);
                if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < rest.Length) configuration.Add(rest[++i]);
                continue;
            }
            if (arg is "--help" or "-h")
            {
                options["--help"] = null;
                continue;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (!known.Contains(arg))
                    throw new UsageException($"'{command}' has no option '{arg}'. Run 'fairlane {command} --help'.");
                options[arg] = flags?.Contains(arg) != true && i + 1 < rest.Length && !rest[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? rest[++i]
                    : null;
                continue;
            }
            arguments.Add(arg);
        }
        var line = new CommandLine { Command = command, ConfigurationArgs = configuration.ToArray(), Arguments = arguments };
        foreach (var (k, v) in options) line._options[k] = v;
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
