namespace Fairlane.Worker.Configuration;

internal static class SettingsServices
{
    /// <summary>
    /// The node's settings, each section checked by its validator when first read: a bad value stops
    /// startup with a message naming the setting (the agents', channels', Guardian's and retention's
    /// sections are registered with their services).
    /// </summary>
    public static IServiceCollection AddSettings(this IServiceCollection services) => services
        .AddValidatedOptions<KafkaOptions, KafkaOptionsValidator>(KafkaOptions.Section)
        .AddValidatedOptions<PostgresOptions, PostgresOptionsValidator>(PostgresOptions.Section)
        .AddValidatedOptions<RedisOptions, RedisOptionsValidator>(RedisOptions.Section)
        .AddValidatedOptions<HttpOptions, HttpOptionsValidator>(HttpOptions.Section)
        .AddValidatedOptions<WorkerOptions, WorkerOptionsValidator>(WorkerOptions.Section)
        .AddValidatedOptions<EngineOptions, EngineOptionsValidator>(EngineOptions.Section)
        .AddValidatedOptions<AdminOptions, AdminOptionsValidator>(AdminOptions.Section)
        .AddValidatedOptions<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.Section);
}
