namespace Fairlane.Worker.Parking;

internal static class ParkingServices
{
    /// <summary>
    /// The park: its store and cleaner, the writer (stops last, so events parked during shutdown are
    /// kept) and the drainer that loads parked events back as their tenants have room.
    /// </summary>
    public static IServiceCollection AddParking(this IServiceCollection services)
    {
        services.AddSingleton<ParkStore>();
        services.AddSingleton<ParkCleaner>();
        services.AddSingleton<ParkWriter>();
        services.AddSingleton<ParkDrainer>();
        services.AddHostedService(sp => sp.GetRequiredService<ParkWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<ParkDrainer>());
        return services;
    }
}
