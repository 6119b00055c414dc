namespace Fairlane.Worker.Cli;

/// <summary>
/// Takes the configuration overrides (<c>--Section:Key=value</c> or <c>--Section:Key value</c>, given
/// anywhere) out of the command line before the grammar sees it: they belong to the configuration,
/// which has hundreds of keys no verb declares.
/// </summary>
internal static class CliArguments
{
    public static (string[] Grammar, string[] Configuration) Split(IReadOnlyList<string> args)
    {
        var rest = new List<string>();
        var configuration = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal))
            {
                configuration.Add(arg);
                if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count) configuration.Add(args[++i]);
                continue;
            }
            rest.Add(arg);
        }
        return (rest.ToArray(), configuration.ToArray());
    }
}
