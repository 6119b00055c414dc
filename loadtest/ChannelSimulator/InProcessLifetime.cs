using Microsoft.Extensions.Hosting;

namespace Fairlane.ChannelSimulator;

/// <summary>
/// The host lifetime of a simulator started inside another process (a test run). The default
/// console lifetime would take over Ctrl-C and SIGTERM, which belong to the host process.
/// </summary>
internal sealed class InProcessLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
