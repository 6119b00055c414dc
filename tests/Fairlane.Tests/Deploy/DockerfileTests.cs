using Fairlane.Producing;
using Fairlane.Worker.Cli;

namespace Fairlane.Tests.Deploy;

/// <summary>
/// deploy/docker/Dockerfile, read as instructions (no engine runs here to build it): what it copies
/// exists, it runs as a non-root user, its health check is a real command, and the native Kafka
/// library it keeps is the one the daemon loads.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly List<(string Instruction, string Arguments)> Instructions = Parse(File.ReadAllLines(DeployFiles.Docker("Dockerfile")));

    [Fact]
    public void Builds_with_the_sdk_and_runs_on_the_aspnet_runtime_of_the_projects_dotnet_version()
    {
        var froms = Arguments("FROM");
        var version = Arguments("ARG").Single(a => a.StartsWith("DOTNET_VERSION=", StringComparison.Ordinal))["DOTNET_VERSION=".Length..];
        var targetFramework = File.ReadAllText(DeployFiles.Path("Directory.Build.props"));

        Assert.Equal("mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build", froms[0]);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime", froms[^1]);
        Assert.Contains($"<TargetFramework>net{version}</TargetFramework>", targetFramework);
    }

    [Fact]
    public void The_runtime_stage_runs_the_daemon_as_a_non_root_user_with_a_working_health_check()
    {
        var runtime = RuntimeStage();
        var user = runtime.Last(i => i.Instruction == "USER").Arguments;
        var healthcheck = runtime.Single(i => i.Instruction == "HEALTHCHECK").Arguments;
        var entrypoint = runtime.Single(i => i.Instruction == "ENTRYPOINT").Arguments;

        Assert.Equal("$APP_UID", user); // the .NET images' non-root "app" user
        Assert.Equal("""["dotnet", "/app/fairlane.dll"]""", entrypoint);
        Assert.EndsWith("""CMD ["dotnet", "/app/fairlane.dll", "healthcheck"]""", healthcheck);
        Assert.Contains("  healthcheck ", FairlaneCli.Usage); // a verb the CLI really has (LiveWorkerTests runs it)
        Assert.Contains("FAIRLANE__HTTP__BINDADDRESS=0.0.0.0", string.Join(' ', runtime.Where(i => i.Instruction == "ENV").Select(i => i.Arguments)));
    }

    [Fact]
    public void Every_file_the_build_copies_exists_and_the_dockerignore_lets_it_through()
    {
        var copies = Arguments("COPY").Where(a => !a.StartsWith("--from", StringComparison.Ordinal)).ToList();
        var ignore = File.ReadAllLines(DeployFiles.Path(".dockerignore"));

        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            foreach (var source in copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            {
                Assert.True(File.Exists(DeployFiles.Path(source)) || Directory.Exists(DeployFiles.Path(source)), $"COPY {source}: no such file");
                var topLevel = source.TrimEnd('/').Split('/')[0];
                Assert.True(ignore.Contains($"!{topLevel}") || ignore.Contains($"!{topLevel}/"), $".dockerignore leaves out {source}");
            }
        }
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    [Fact]
    public void The_image_keeps_the_librdkafka_build_the_daemon_loads()
    {
        var publish = Arguments("RUN").Single(r => r.Contains("dotnet publish", StringComparison.Ordinal));
        const string Kept = "runtimes/linux-x64/native/centos8-librdkafka.so";

        // The build asserts the file is in its publish output, and the daemon picks exactly that file
        // from the same layout (portable publish = build output) on a glibc Linux x64 host.
        Assert.Contains($"test -f /app/{Kept}", publish);
        Assert.DoesNotContain(" -r ", publish);
        Assert.DoesNotContain("--self-contained", publish);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, Kept), KafkaNativeLibrary.Path);
    }

    private static List<string> Arguments(string instruction) =>
        Instructions.Where(i => i.Instruction == instruction).Select(i => i.Arguments).ToList();

    private static List<(string Instruction, string Arguments)> RuntimeStage() =>
        Instructions.Skip(Instructions.FindLastIndex(i => i.Instruction == "FROM")).ToList();

    // One instruction per logical line: comments dropped, "\" continuations joined.
    private static List<(string, string)> Parse(string[] lines)
    {
        var result = new List<(string, string)>();
        var current = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0)) continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1].Trim() + " ";
                continue;
            }
            current += line;
            var space = current.IndexOf(' ', StringComparison.Ordinal);
            result.Add((current[..space].ToUpperInvariant(), current[(space + 1)..].Trim()));
            current = "";
        }
        return result;
    }
}
