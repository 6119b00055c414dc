using Fairlane.Worker.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Fairlane.Tests.Infrastructure;

/// <summary>The daemon's real host, started in the test process against real servers.</summary>
internal sealed class InProcessWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessWorker(WebApplication app) => _app = app;

    /// <summary>The host's services, for tests that drive a component directly (e.g. a Guardian run).</summary>
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
