using System.Net;
using Fairlane.Agents.Alerting;
using Fairlane.Agents.Bus;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Tenants;
using Fairlane.Agents.Sync;
using Fairlane.Agents.Watcher;
using Fairlane.Worker.Channels;
using Fairlane.Worker.Guardian;
using Fairlane.Worker.Bus;
using Fairlane.Worker.Outbox;
using Fairlane.Worker.Retention;
using Fairlane.Agents.Storage;
using Fairlane.Contracts.Events;
using Fairlane.Worker.Admin;
using Fairlane.Worker.DeadLetters;
using Fairlane.Worker.Dispatch;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Health;
using Fairlane.Worker.Intake;
using Fairlane.Worker.Observability;
using Fairlane.Worker.Parking;
using Fairlane.Worker.Pipeline;
using Fairlane.Worker.Tenants;
using Microsoft.Extensions.Options;
using Fairlane.Worker.Infrastructure;

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
        var admin = builder.Configuration.GetValidated<AdminOptions, AdminOptionsValidator>(AdminOptions.Section);
        if (AdminOptionsValidator.PortsDiffer(admin, http) is { Failed: true } clash)
            throw new OptionsValidationException(AdminOptions.Section, typeof(AdminOptions), clash.Failures);

        builder.AddFairlaneLogging(worker.NodeId);
        builder.Services.AddSystemd();
        builder.Services.AddHostedService<SystemdWatchdog>();
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(worker.ShutdownGraceMs);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(http.BindAddress), http.MetricsPort);
            k.ListenForAdmin(admin);
        });

        builder.Services
            .AddValidatedOptions<KafkaOptions, KafkaOptionsValidator>(KafkaOptions.Section)
            .AddValidatedOptions<PostgresOptions, PostgresOptionsValidator>(PostgresOptions.Section)
            .AddValidatedOptions<RedisOptions, RedisOptionsValidator>(RedisOptions.Section)
            .AddValidatedOptions<HttpOptions, HttpOptionsValidator>(HttpOptions.Section)
            .AddValidatedOptions<WorkerOptions, WorkerOptionsValidator>(WorkerOptions.Section)
            .AddValidatedOptions<EngineOptions, EngineOptionsValidator>(EngineOptions.Section)
            .AddValidatedOptions<AdminOptions, AdminOptionsValidator>(AdminOptions.Section);

        builder.Services.AddSingleton<DataSources>();
        builder.Services.AddSingleton(sp => new TenantDatabase(sp.GetRequiredService<DataSources>().App));
        builder.Services.AddSingleton<RedisNodes>();
        builder.Services.AddSingleton<KafkaClientFactory>();
        builder.Services.AddSingleton<ReadinessProbe>();
        builder.Services.AddSingleton(sp =>
        {
            var kafka = sp.GetRequiredService<IOptions<KafkaOptions>>().Value;
            return new DeadLetterPublisher(
                sp.GetRequiredService<KafkaClientFactory>().Producer("dlq", kafka.DeadLetterMaxMessageBytes),
                kafka.Topics,
                new DeadLetterStore(sp.GetRequiredService<DataSources>().Owner),
                sp.GetRequiredService<ILogger<DeadLetterPublisher>>());
        });
        builder.Services.AddSingleton<DeadLetterNotice>();
        builder.Services.AddSingleton<DeadLetterSink>();

        builder.AddFairEngine();
        builder.AddTenantAdministration();

        var app = builder.Build();
        app.MapAdminApi(admin);
        app.MapFairlaneHttp();
        FairlaneMetrics.BuildInfo.WithLabels(BuildVersion.Current, worker.NodeId).Set(1);
        // Exported at 0 from the start, so an alert's increase() sees the very first failure.
        foreach (var reason in DeadLetterFailureReasons.All) FairlaneMetrics.DeadLetterFailures.WithLabels(reason).Publish();
        return app;
    }

    /// <summary>
    /// The fair engine and its services. Hosted services start in registration order and stop in
    /// reverse: the schema first; on shutdown the consumer stops first (its revoke lets in-flight
    /// events finish while the workers and the park writer are still running), the writer last.
    /// </summary>
    private static void AddFairEngine(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<FairEngine>();
        services.AddSingleton<EventPipeline>();
        services.AddSingleton<HandlerRegistry>();
        services.AddSingleton<ParkStore>();
        services.AddSingleton<ParkCleaner>();
        services.AddSingleton<ParkWriter>();
        services.AddSingleton<ParkDrainer>();
        builder.AddAgents();

        services.AddHostedService<MigrateOnStart>();
        services.AddHostedService<AppRoleCheck>();
        services.AddHostedService<TenantRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<ParkWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<ParkDrainer>());
        services.AddHostedService<Dispatcher>();
        services.AddHostedService<ConsumeLoop>();
        services.AddHostedService<EngineMetricsReporter>();
        services.AddHostedService<OutboxRelay>();
        services.AddRetention();
    }

    /// <summary>The agents' handlers and what they share: alerts, the event bus, tenant change notices.</summary>
    private static void AddAgents(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<AgentOptions, AgentOptionsValidator>(AgentOptions.Section);
        services.AddSingleton<IEventBus, RedisEventBus>();
        services.AddSingleton<ITenantChangeNotice>(sp => sp.GetRequiredService<TenantChangeNotices>());
        services.AddChannels();
        services.AddSingleton<AlertStore>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            return new AlertCheckOptions { SyncFailureThreshold = o.SyncFailureThreshold, SyncHealthWindow = TimeSpan.FromMinutes(o.SyncHealthWindowMinutes) };
        });
        services.AddSingleton<AlertChecks>();

        services.AddSingleton<IEventHandler, WatcherHandler>();
        services.AddSingleton<IEventHandler, SyncHandler>();
        services.AddGuardian(builder.Configuration.GetSection(GuardianOptions.Section).Get<GuardianOptions>() ?? new GuardianOptions(),
            builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions());
        services.AddSingleton<IEventHandler, AlertHandler>();
        services.AddSingleton<IEventHandler, TenantCommandHandler>();
    }

    /// <summary>
    /// appsettings.json, appsettings.{Environment}.json, FAIRLANE__SECTION__KEY environment variables,
    /// then --Section:Key=value arguments, each overriding the one before.
    /// </summary>
    public static IConfigurationBuilder AddFairlaneSources(this IConfigurationBuilder configuration, string[] args) =>
        configuration.AddEnvironmentVariables("FAIRLANE__").AddCommandLine(args);
}
