namespace Fairlane.Worker.Pipeline;

internal static class PipelineServices
{
    /// <summary>The processing pipeline: its chain of steps is composed once, in <see cref="EventPipeline"/>.</summary>
    public static IServiceCollection AddPipeline(this IServiceCollection services) => services.AddSingleton<EventPipeline>();
}
