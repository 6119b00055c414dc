using System.Text;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Cli;

namespace Fairlane.Tests.Worker.Cli;

/// <summary>
/// README.md's CLI reference is the generated help of every command, between two markers. This test
/// fails when the two drift; run it with FAIRLANE_UPDATE_README=1 to write the help into README.md.
/// </summary>
public sealed class CliReferenceTests
{
    private const string Start = "<!-- cli-reference:start -->";
    private const string End = "<!-- cli-reference:end -->";

    // Reads the repository's README.md (found as the worker processes find the build), hence the timeout.
    [Fact(Timeout = 60_000)]
    public async Task Readme_holds_the_help_of_every_command()
    {
        var path = Path.Combine(WorkerProcess.RepositoryRoot(), "README.md");
        var readme = (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n");
        var start = readme.IndexOf(Start, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no {Start} ... {End} section.");

        var current = readme[(start + Start.Length)..end];
        var generated = Reference();
        if (current != generated && Environment.GetEnvironmentVariable("FAIRLANE_UPDATE_README") == "1")
        {
            await File.WriteAllTextAsync(path, readme[..(start + Start.Length)] + generated + readme[end..]);
            return;
        }
        Assert.True(current == generated,
            "README.md's CLI reference differs from the help; refresh it: FAIRLANE_UPDATE_README=1 dotnet test tests/Fairlane.Tests --filter CliReferenceTests");
    }

    /// <summary>The CLI reference as README.md must hold it between the markers.</summary>
    internal static string Reference()
    {
        var text = new StringBuilder("\n");
        foreach (var command in CliHelp.Commands())
        {
            text.Append("\n#### `").Append(string.Join(' ', ["fairlane", .. command])).Append("`\n\n```text\n");
            text.Append(CliHelp.Render(command).ReplaceLineEndings("\n").Trim('\n')).Append("\n```\n");
        }
        return text.Append('\n').ToString();
    }
}
