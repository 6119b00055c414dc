using System.Diagnostics;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Cli;

/// <summary>The parser as an operator meets it, through the real executable: help, errors and exit codes, completion.</summary>
[Trait("Category", "Integration")]
public sealed class CliProcessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string> NoSettings = [];

    [Theory(Timeout = 120_000)]
    [InlineData("tenants --help", "fairlane tenants [command] [options]")]
    [InlineData("dlq replay --help", "--dry-run")]
    [InlineData("catalog import -h", "--tenant <ID>")]
    public async Task Help_of_a_verb_exits_0_and_prints_its_own_usage(string line, string expected)
    {
        var (code, stdout, stderr) = await WorkerProcess.RunToEndAsync(line.Split(' '), NoSettings, Deadline);

        Assert.True(code == 0, stderr);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exit codes:", stdout, StringComparison.Ordinal); // the verb's help, not the top-level one
    }

    // Each line fails in the parser, before any setting is read or any server asked, so no servers are needed.
    [Theory(Timeout = 120_000)]
    [InlineData("tenants list --bogus", "'tenants list' takes no option '--bogus'")]
    [InlineData("produce --demo 5 --frob", "'produce' takes no option '--frob'")]
    [InlineData("dlq list --dry-run", "'dlq list' takes no option '--dry-run'")]
    [InlineData("guardian runs --limit 0", "--limit takes a whole number from 1 to 1000; got '0'")]
    [InlineData("tenants set acme --weight heavy", "--weight takes a whole number from 1 to 1000; got 'heavy'")]
    [InlineData("tenants register acme --ordering strict", "--ordering takes 'item'")]
    [InlineData("dlq list --since yesterday", "--since takes an age")]
    [InlineData("completion fish", "'fish'")]
    [InlineData("--frobnicate", "'fairlane' takes no option '--frobnicate'")]
    public async Task A_bad_option_exits_2_with_a_message_naming_it(string line, string expected)
    {
        var (code, _, stderr) = await WorkerProcess.RunToEndAsync(line.Split(' '), NoSettings, Deadline);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task No_command_runs_the_daemon_with_the_overrides_given()
    {
        // A node configured to start, but for an override on the command line that does not convert:
        // the daemon's start reads it, names it and exits 3.
        await using var stack = await new StackBuilder().NoKafka().NoDatabase().InProcessWorkers(0).StartAsync();
        var (code, _, stderr) = await stack.RunCliAsync(["--Kafka:Partitions=lots"], Deadline);

        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.Contains("Kafka:Partitions", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Completion_bash_prints_a_script_that_completes_verbs_and_options()
    {
        var (code, script, stderr) = await WorkerProcess.RunToEndAsync(["completion", "bash"], NoSettings, Deadline);
        Assert.True(code == 0, stderr);
        Assert.Contains("complete -o default -F _fairlane_complete fairlane", script, StringComparison.Ordinal);

        var folder = Directory.CreateTempSubdirectory("fairlane-completion-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "completion.bash"), script);

            Assert.Equal(["register", "resume"], await CompleteAsync(folder.FullName, "tenants re"));
            Assert.Equal(["--dry-run"], await CompleteAsync(folder.FullName, "dlq replay --dr"));
            Assert.Contains("tenants", await CompleteAsync(folder.FullName, ""));
            Assert.Equal(["item", "tenant"], await CompleteAsync(folder.FullName, "tenants set acme --ordering "));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // Runs the script's completion function in bash as the shell would on TAB at the end of "fairlane <typed>";
    // fairlane is a shell function there that runs the build output.
    private static async Task<string[]> CompleteAsync(string folder, string typed)
    {
        var words = $"fairlane {typed}{(typed.Length == 0 || typed.EndsWith(' ') ? "''" : "")}";
        var bash = $$"""
            source completion.bash
            fairlane() { dotnet '{{WorkerProcess.FairlaneDll}}' "$@"; }
            COMP_LINE="fairlane {{typed}}"; COMP_POINT=${#COMP_LINE}
            COMP_WORDS=({{words}}); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _fairlane_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", bash])
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
    }
}
