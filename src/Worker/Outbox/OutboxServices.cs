namespace Fairlane.Worker.Outbox;

internal static class OutboxServices
{
    /// <summary>The relay that publishes what handlers wrote to the outbox.</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services) => services.AddHostedService<OutboxRelay>();
}
