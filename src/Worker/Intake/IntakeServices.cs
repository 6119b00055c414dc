namespace Fairlane.Worker.Intake;

internal static class IntakeServices
{
    /// <summary>The consume loop: registered after the workers and the park, so on shutdown it stops first and its revoke lets them finish.</summary>
    public static IServiceCollection AddIntake(this IServiceCollection services) => services.AddHostedService<ConsumeLoop>();
}
