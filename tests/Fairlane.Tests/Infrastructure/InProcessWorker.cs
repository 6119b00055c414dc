using Fairlane.Worker.Configuration;
using Fairlane.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Infrastructure;

/// <summary>The daemon's real host, started in the test process against real servers.</summary>
internal sealed class InProcessWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessWorker(WebApplication app) => _app = app;

    /// <summary>The bearer token every in-process worker's admin API takes.</summary>
    public const string AdminToken = "test-admin-token-0123456789abcdef0123456789";

    public int AdminPort => Services.GetRequiredService<IOptions<AdminOptions>>().Value.Port;

    public int MetricsPort => Services.GetRequiredService<IOptions<HttpOptions>>().Value.MetricsPort;

    /// <summary>The host's services, for assertions on what the node holds (its engine, its options).</summary>
    public IServiceProvider Services => _app.Services;

    public static async Task<InProcessWorker> StartAsync(TestDatabase db, string bootstrapServers, string topicPrefix, params string[] extra)
    {
        string[] args =
        [
            $"--Kafka:BootstrapServers={bootstrapServers}",
            $"--Kafka:TopicPrefix={topicPrefix}",
            $"--Kafka:GroupId={topicPrefix}-group",
            $"--Postgres:ConnectionString={db.AppConnectionString}",
            $"--Postgres:OwnerConnectionString={db.OwnerConnectionString}",
            $"--Redis:Endpoints:0=127.0.0.1:{TestServers.RedisPorts[0]}",
            $"--Http:MetricsPort={FreePort.Next()}",
            $"--Channels:CredentialKey={TestServers.CredentialKey}",
            // Workers of one test share its topic prefix, and so its Redis channels, like a fleet.
            $"--Redis:KeyPrefix={topicPrefix}:",
            $"--Admin:Port={FreePort.Next()}",
            $"--Admin:Token={AdminToken}",
            "--Logging:MinimumLevel=Warning",
            "--Worker:ShutdownGraceMs=5000",
            "--Guardian:Cron=0 0 0 1 1 ? 2099", // runs only when a test asks
            .. extra,
        ];
        var app = FairlaneHost.Build(args);
        await app.StartAsync();
        return new InProcessWorker(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
