using Fairlane.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace Fairlane.Tests.Deploy;

/// <summary>deploy/docker/docker-compose.yml, as Docker Compose resolves it (never built or run here: no engine).</summary>
public sealed class DockerComposeTests
{
    private static readonly Dictionary<string, string?> WithKey = new()
    {
        ["FAIRLANE_CREDENTIAL_KEY"] = TestServers.CredentialKey,
        ["FAIRLANE_ADMIN_TOKEN"] = InProcessWorker.AdminToken,
    };
    private static readonly string[] Workers = ["fairlane-1", "fairlane-2", "fairlane-3"];

    [Fact]
    public async Task Compose_accepts_the_file_and_it_holds_the_whole_fleet()
    {
        foreach (var compose in await ComposeClient.AvailableAsync())
        {
            var services = await compose.ConfigAsync(WithKey, "--services");

            Assert.True(services.ExitCode == 0, $"{compose}: {services}");
            var names = services.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Superset(new HashSet<string>(["kafka-1", "kafka-2", "kafka-3", "kafka-init", "redis-1", "redis-2", "redis-3", "postgres",
                "fairlane-1", "fairlane-2", "fairlane-3", "prometheus", "grafana"]), names.ToHashSet());
        }
    }

    [Fact]
    public async Task Compose_refuses_to_start_without_a_credential_key_and_says_which_variable()
    {
        foreach (var compose in await ComposeClient.AvailableAsync())
        {
            var result = await compose.ConfigAsync(new Dictionary<string, string?>());

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("FAIRLANE_CREDENTIAL_KEY", result.Stderr);
        }
    }

    [Fact]
    public async Task Every_worker_gets_settings_the_daemon_accepts_a_name_of_its_own_and_waits_for_the_topics()
    {
        var services = await ResolvedServicesAsync();
        var nodeIds = new HashSet<string>();
        foreach (var worker in Workers)
        {
            var service = Map(services[worker]);
            var environment = Map(service["environment"]).ToDictionary(e => (string)e.Key, e => e.Value?.ToString() ?? "");

            var problems = FairlaneSettings.Problems(environment);
            Assert.True(problems.Count == 0, $"{worker}: {string.Join("\n", problems)}");
            Assert.True(nodeIds.Add(environment["FAIRLANE__WORKER__NODEID"]), $"{worker} shares its node id");
            Assert.Equal("0.0.0.0", environment["FAIRLANE__HTTP__BINDADDRESS"]);
            Assert.Equal("service_completed_successfully", Map(Map(service["depends_on"])["kafka-init"])["condition"]);
            Assert.Equal("service_healthy", Map(Map(service["depends_on"])["postgres"])["condition"]);
            // Each Redis endpoint is one of the compose Redis services: three independent nodes.
            var redis = environment.Where(e => e.Key.StartsWith("FAIRLANE__REDIS__ENDPOINTS__", StringComparison.Ordinal)).Select(e => e.Value.Split(':')[0]).ToList();
            Assert.Equal(new[] { "redis-1", "redis-2", "redis-3" }, redis.Order());
            Assert.All(redis, r => Assert.True(services.ContainsKey(r)));
        }
    }

    [Fact]
    public async Task Kafka_is_a_three_node_KRaft_cluster_and_kafka_init_creates_every_Fairlane_topic()
    {
        var services = await ResolvedServicesAsync();
        var brokers = new[] { "kafka-1", "kafka-2", "kafka-3" }.Select(b => Map(Map(services[b])["environment"])).ToList();

        Assert.All(brokers, b => Assert.Equal("broker,controller", b["KAFKA_PROCESS_ROLES"]));
        Assert.Single(brokers.Select(b => b["CLUSTER_ID"]).Distinct());
        Assert.Equal(new[] { "1", "2", "3" }, brokers.Select(b => b["KAFKA_NODE_ID"]!.ToString()));
        Assert.All(brokers, b => Assert.Equal("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093", b["KAFKA_CONTROLLER_QUORUM_VOTERS"]));

        var script = File.ReadAllText(DeployFiles.Docker(Path.Combine("kafka", "create-topics.sh")));
        var topics = new Fairlane.Contracts.Topics("p").All.Select(t => t["p.".Length..]);
        Assert.All(topics, t => Assert.Matches($@"(for name in [a-z ]*\b{t}\b|create {t}\b)", script));
        Assert.Contains("create control --config cleanup.policy=compact", script);
    }

    [Fact]
    public async Task Prometheus_scrapes_every_worker_and_every_mounted_file_exists()
    {
        var services = await ResolvedServicesAsync();
        var prometheusConfig = File.ReadAllText(DeployFiles.Prometheus("prometheus.yml"));

        foreach (var worker in Workers)
            Assert.Contains($"\"{worker}:9400\"", prometheusConfig);
        foreach (var (name, service) in services)
        {
            if (!Map(service).TryGetValue("volumes", out var volumes)) continue;
            foreach (var volume in (List<object>)volumes!)
            {
                // Resolved bind mounts are absolute host paths; named volumes are not paths.
                var source = volume is string s ? s.Split(':')[0] : (string)Map(volume)["source"]!;
                if (!source.StartsWith('/')) continue;
                Assert.True(File.Exists(source) || Directory.Exists(source), $"{name} mounts {source}, which does not exist");
            }
        }
    }

    private static async Task<Dictionary<object, object?>> ResolvedServicesAsync()
    {
        var compose = (await ComposeClient.AvailableAsync())[0];
        var resolved = await compose.ConfigAsync(WithKey);
        Assert.True(resolved.ExitCode == 0, $"{compose}: {resolved}");
        var document = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(resolved.Stdout);
        return Map(document["services"]);
    }

    private static Dictionary<object, object?> Map(object? node) => (Dictionary<object, object?>)node!;
}
