using Fairlane.Tests.Deploy;
using Fairlane.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace Fairlane.Tests.Worker.Tracing;

/// <summary>The compose fleet sends every worker's traces to a collector that is part of the fleet and receives OTLP where they send it.</summary>
public sealed class CollectorInComposeTests
{
    [Fact]
    public async Task Every_worker_sends_its_spans_to_the_fleets_collector_which_forwards_them()
    {
        var compose = (await ComposeClient.AvailableAsync())[0];
        var resolved = await compose.ConfigAsync(new Dictionary<string, string?>
        {
            ["FAIRLANE_CREDENTIAL_KEY"] = TestServers.CredentialKey,
            ["FAIRLANE_ADMIN_TOKEN"] = InProcessWorker.AdminToken,
        });
        Assert.True(resolved.ExitCode == 0, $"{compose}: {resolved}");
        var services = Map(new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(resolved.Stdout)["services"]);

        foreach (var worker in new[] { "fairlane-1", "fairlane-2", "fairlane-3" })
        {
            var environment = Map(Map(services[worker])["environment"]);
            var endpoint = new Uri((string)environment["FAIRLANE__TELEMETRY__OTLPENDPOINT"]!);
            Assert.True(services.ContainsKey(endpoint.Host), $"{worker} sends its spans to {endpoint.Host}, which is not a service of the fleet");
            Assert.Equal(4317, endpoint.Port); // the collector's gRPC receiver, the daemon's default protocol
            var ratio = double.Parse((string)environment["FAIRLANE__TELEMETRY__SAMPLINGRATIO"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(ratio, 0, 1);
        }

        var collector = File.ReadAllText(DeployFiles.Docker(Path.Combine("otel", "collector.yaml")));
        var config = Map(new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(collector));
        var traces = Map(Map(Map(config["service"])["pipelines"])["traces"]);
        Assert.Contains("otlp", (List<object>)traces["receivers"]!);
        var exporter = Assert.Single((List<object>)traces["exporters"]!);
        // The exporter leads to a service of the fleet (Jaeger), by its compose name.
        var target = new Uri("http://" + (string)Map(Map(config["exporters"])[exporter])["endpoint"]!);
        Assert.True(services.ContainsKey(target.Host), $"the collector forwards to {target.Host}, which is not a service of the fleet");
    }

    private static Dictionary<object, object?> Map(object? node) => (Dictionary<object, object?>)node!;
}
