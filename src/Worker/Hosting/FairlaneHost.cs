using System.Net;
using Fairlane.Agents.Storage;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Health;
using Fairlane.Worker.Intake;
using Fairlane.Worker.Observability;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Hosting;

/// <summary>Builds the daemon: configuration, logging, dependencies, consumers and HTTP endpoints.</summary>
internal static class FairlaneHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships next to the binary; systemd and containers start us from elsewhere.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddFairlaneSources(args);

        var worker = builder.Configuration.GetValidated<WorkerOptions, WorkerOptionsValidator>(WorkerOptions.Section);
        var http = builder.Configuration.GetValidated<HttpOptions, HttpOptionsValidator>(HttpOptions.Section);

        builder.AddFairlaneLogging(worker.NodeId);
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(worker.ShutdownGraceMs);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(http.BindAddress), http.MetricsPort));

        builder.Services
            .AddValidatedOptions<KafkaOptions, KafkaOptionsValidator>(KafkaOptions.Section)
            .AddValidatedOptions<PostgresOptions, PostgresOptionsValidator>(PostgresOptions.Section)
            .AddValidatedOptions<RedisOptions, RedisOptionsValidator>(RedisOptions.Section)
            .AddValidatedOptions<HttpOptions, HttpOptionsValidator>(HttpOptions.Section)
            .AddValidatedOptions<WorkerOptions, WorkerOptionsValidator>(WorkerOptions.Section);

        builder.Services.AddSingleton<DataSources>();
        builder.Services.AddSingleton(sp => new TenantDatabase(sp.GetRequiredService<DataSources>().App));
        builder.Services.AddSingleton<RedisNodes>();
        builder.Services.AddSingleton<KafkaClientFactory>();
        builder.Services.AddSingleton<ReadinessProbe>();
        builder.Services.AddSingleton(sp => new DeadLetterPublisher(
            sp.GetRequiredService<KafkaClientFactory>().Producer("dlq"),
            sp.GetRequiredService<IOptions<KafkaOptions>>().Value.Topics,
            sp.GetRequiredService<ILogger<DeadLetterPublisher>>()));

        // Hosted services start in registration order: the schema first, then the consumers.
        builder.Services.AddHostedService<MigrateOnStart>();
        if (worker.Runs("watcher")) builder.Services.AddHostedService<WebhookConsumeLoop>();

        var app = builder.Build();
        app.MapFairlaneHttp();
        FairlaneMetrics.BuildInfo.WithLabels(BuildVersion.Current, worker.NodeId).Set(1);
        return app;
    }

    /// <summary>
    /// appsettings.json, appsettings.{Environment}.json, FAIRLANE__SECTION__KEY environment variables,
    /// then --Section:Key=value arguments, each overriding the one before.
    /// </summary>
    public static IConfigurationBuilder AddFairlaneSources(this IConfigurationBuilder configuration, string[] args) =>
        configuration.AddEnvironmentVariables("FAIRLANE__").AddCommandLine(args);
}
