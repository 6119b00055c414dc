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

    /// <summary>
    /// Starts the host with these settings (see <see cref="TestStack.SettingsFor"/>); <paramref name="traceExport"/>
    /// turns tracing on with an exporter of the test's (in memory).
    /// </summary>
    public static async Task<InProcessWorker> StartAsync(WorkerSettings settings,
        Action<OpenTelemetry.Trace.TracerProviderBuilder>? traceExport = null)
    {
        var app = FairlaneHost.Build(settings.ToArguments(), traceExport);
        await app.StartAsync();
        return new InProcessWorker(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
