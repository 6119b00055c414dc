namespace Fairlane.Tests.Deploy;

/// <summary>
/// The Docker Compose implementations on this machine: the `docker compose` plugin when the docker
/// client has it, and the standalone `docker-compose` (Debian's package, which scripts/test.sh
/// installs). `config` only parses, interpolates and validates the file: no Docker engine is needed.
/// </summary>
internal sealed record ComposeClient(string File, string[] Prefix)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public override string ToString() => string.Join(' ', [Path.GetFileName(File), .. Prefix]);

    public static async Task<IReadOnlyList<ComposeClient>> AvailableAsync()
    {
        var clients = new List<ComposeClient>();
        if (ExternalTool.Find("docker") is { } docker
            && (await ExternalTool.RunAsync(docker, ["compose", "version"], Deadline)).ExitCode == 0)
        {
            clients.Add(new ComposeClient(docker, ["compose"]));
        }
        if (ExternalTool.Find("docker-compose") is { } standalone) clients.Add(new ComposeClient(standalone, []));
        if (clients.Count == 0)
        {
            throw new InvalidOperationException(
                "Neither `docker compose` nor `docker-compose` is installed. scripts/test.sh installs Debian's docker-compose; or run: apt-get install -y docker-compose");
        }
        return clients;
    }

    /// <summary>Runs `config` (plus <paramref name="args"/>) on deploy/docker/docker-compose.yml with only the given variables set.</summary>
    public Task<ExternalTool.Result> ConfigAsync(IReadOnlyDictionary<string, string?> variables, params string[] args)
    {
        var environment = new Dictionary<string, string?>(variables);
        // The test decides every variable the file reads; none leaks in from the runner.
        foreach (var name in new[] { "FAIRLANE_CREDENTIAL_KEY", "FAIRLANE_ADMIN_TOKEN", "FAIRLANE_PARTITIONS", "FAIRLANE_APP_PASSWORD", "FAIRLANE_OWNER_PASSWORD", "POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "COMPOSE_FILE", "COMPOSE_PROFILES" })
            environment.TryAdd(name, null);
        return ExternalTool.RunAsync(File, [.. Prefix, "-f", DeployFiles.Docker("docker-compose.yml"), "config", .. args], Deadline, environment);
    }
}
