namespace Fairlane.Worker.Dispatch;

internal static class DispatchServices
{
    /// <summary>The worker pool: registered before intake, so it stops after it and finishes what intake handed over.</summary>
    public static IServiceCollection AddDispatch(this IServiceCollection services) => services.AddHostedService<Dispatcher>();
}
