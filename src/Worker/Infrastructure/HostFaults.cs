namespace Fairlane.Worker.Infrastructure;

internal static class HostFaults
{
    /// <summary>
    /// A faulted BackgroundService stops the host, but the host then exits 0
    /// (https://github.com/dotnet/runtime/issues/67146) and <c>Restart=on-failure</c> would not restart
    /// us. Ask each background service how it ended instead.
    /// </summary>
    public static Exception? FirstFault(IServiceProvider services) =>
        services.GetServices<IHostedService>()
            .OfType<BackgroundService>()
            .Select(s => s.ExecuteTask)
            .FirstOrDefault(t => t is { IsFaulted: true })?.Exception?.GetBaseException();
}
