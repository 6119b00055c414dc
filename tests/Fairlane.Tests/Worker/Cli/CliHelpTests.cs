using System.CommandLine;
using Fairlane.Worker.Cli;

namespace Fairlane.Tests.Worker.Cli;

/// <summary>The generated help of every verb, rendered in-process exactly as <c>fairlane VERB --help</c> prints it.</summary>
public sealed class CliHelpTests
{
    public static TheoryData<string, string[]> Verbs => new()
    {
        { "", ["--version", "--help"] },
        { "run", ["--help"] },
        { "migrate", ["--help"] },
        { "produce", ["--demo <N>", "--tenants <K>"] },
        { "tenants list", ["--json"] },
        { "tenants show", ["<ID>", "--json"] },
        { "tenants register", ["<ID>", "--name <NAME>", "--weight <N>", "--concurrency <N|auto>", "--ordering <item|tenant>", "--rate <N|none>", "--max-queue-depth <N|none>", "--monthly-budget <N|none>", "--json"] },
        { "tenants set", ["<ID>", "--weight <N>", "--concurrency <N|auto>", "--ordering <item|tenant>", "--rate <N|none>", "--max-queue-depth <N|none>", "--monthly-budget <N|none>", "--json"] },
        { "tenants pause", ["<ID>", "--json"] },
        { "tenants resume", ["<ID>", "--json"] },
        { "tenants unregister", ["<ID>", "--json"] },
        { "guardian run-now", ["--json"] },
        { "guardian runs", ["--limit <N>", "--json"] },
        { "topics ensure", ["--timeout <S>"] },
        { "dlq list", ["--tenant <T>", "--reason <R>", "--since <1h|ISO>", "--json"] },
        { "dlq replay", ["--tenant <T>", "--reason <R>", "--dry-run", "--again", "--json"] },
        { "catalog import", ["<FILE>", "--tenant <ID>", "--json"] },
        { "catalog show", ["<ID>", "--json"] },
        { "healthcheck", ["--help"] },
        { "completion", ["<bash>"] },
        { "version", ["--help"] },
        { "help", ["--help"] },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Help_of_each_verb_exits_0_and_names_its_usage_and_options(string verb, string[] options)
    {
        var (code, help) = Help(verb.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(0, code);
        Assert.Contains($"Usage:\n  fairlane {verb}{(verb.Length > 0 ? " " : "")}", help, StringComparison.Ordinal);
        foreach (var option in options) Assert.Contains(option, help, StringComparison.Ordinal);
        Assert.Contains("[--Section:Key=value ...]", help, StringComparison.Ordinal);
        Assert.DoesNotContain("additional arguments", help, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_table_above_covers_every_command_of_the_grammar()
    {
        var listed = Verbs.Select(row => (string)row[0]).ToHashSet();
        var parents = new[] { "tenants", "guardian", "topics", "dlq", "catalog" };
        Assert.Equal(listed.Concat(parents).Order(), CliHelp.Commands().Select(p => string.Join(' ', p)).Order());
    }

    [Fact]
    public void A_parent_verb_lists_its_verbs_and_the_top_level_help_its_commands_and_exit_codes()
    {
        var (code, tenants) = Help(["tenants"]);
        Assert.Equal(0, code);
        foreach (var verb in new[] { "list", "show <ID>", "register <ID>", "set <ID>", "pause <ID>", "resume <ID>", "unregister <ID>" })
            Assert.Contains("  " + verb, tenants, StringComparison.Ordinal);

        var (_, top) = Help([]);
        foreach (var command in new[] { "run", "migrate", "produce", "tenants", "guardian", "topics", "dlq", "catalog", "healthcheck", "completion", "version" })
            Assert.Contains($"\n  {command} ", top, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", top, StringComparison.Ordinal);
        Assert.Equal(top, CliHelp.Render([]).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Help_wins_over_a_line_that_would_not_parse()
    {
        var (code, help) = Help(["produce", "--demo", "zero"]);
        Assert.Equal(0, code);
        Assert.Contains("--demo <N>", help, StringComparison.Ordinal);
    }

    [Fact]
    public void The_readme_reference_has_a_section_per_command_with_its_help()
    {
        var reference = CliReferenceTests.Reference();
        foreach (var command in CliHelp.Commands().Select(p => string.Join(' ', ["fairlane", .. p])))
            Assert.Contains($"\n#### `{command}`\n", reference, StringComparison.Ordinal);
        Assert.Contains(CliHelp.Render(["dlq", "replay"]).ReplaceLineEndings("\n").TrimEnd(), reference, StringComparison.Ordinal);
    }

    private static (int Code, string Text) Help(string[] command)
    {
        using var output = new StringWriter();
        var parse = FairlaneCommands.Build((_, _) => Task.FromResult(-1)).Parse([.. command, "--help"]);
        var code = parse.Invoke(new InvocationConfiguration { Output = output, Error = output });
        return (code, output.ToString().ReplaceLineEndings("\n"));
    }
}
