namespace Fairlane.Worker.Cli;

/// <summary>The generated help of a command, as <c>fairlane COMMAND --help</c> prints it (README.md's CLI reference is made of it).</summary>
internal static class CliHelp
{
    public static string Render(IReadOnlyList<string> command)
    {
        using var output = new StringWriter { NewLine = "\n" };
        var parse = FairlaneCommands.Build((_, _) => Task.FromResult(ExitCodes.Ok)).Parse([.. command, "--help"]);
        parse.Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = output });
        return output.ToString();
    }

    /// <summary>Every command path of the grammar, the root first, each parent before its verbs.</summary>
    public static IEnumerable<string[]> Commands()
    {
        var root = FairlaneCommands.Build((_, _) => Task.FromResult(ExitCodes.Ok));
        return Walk(root, []);

        static IEnumerable<string[]> Walk(System.CommandLine.Command command, string[] path)
        {
            yield return path;
            foreach (var sub in command.Subcommands)
                foreach (var found in Walk(sub, [.. path, sub.Name])) yield return found;
        }
    }
}
