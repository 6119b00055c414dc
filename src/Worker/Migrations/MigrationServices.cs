namespace Fairlane.Worker.Migrations;

internal static class MigrationServices
{
    /// <summary>
    /// The schema first, then the refusal to run with a role that row-level security does not bind:
    /// registered before every other hosted service, so nothing starts on an old schema or a wrong role.
    /// </summary>
    public static IServiceCollection AddMigrations(this IServiceCollection services)
    {
        services.AddHostedService<MigrateOnStart>();
        services.AddHostedService<AppRoleCheck>();
        return services;
    }
}
