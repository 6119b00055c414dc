using Fairlane.Worker.Admin;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.DeadLetters;
using Fairlane.Worker.Dispatch;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Health;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Intake;
using Fairlane.Worker.Migrations;
using Fairlane.Worker.Observability;
using Fairlane.Worker.Outbox;
using Fairlane.Worker.Parking;
using Fairlane.Worker.Pipeline;
using Fairlane.Worker.Retention;
using Fairlane.Worker.Tenants;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Hosting;

/// <summary>
/// Builds the daemon, one concern per line. Hosted services start in the order they are added here and
/// stop in reverse: the schema first; on shutdown the consume loop stops first (its revoke lets
/// in-flight events finish while the workers and the park writer still run), the park writer last.
/// See docs/architecture.md for the stages.
/// </summary>
internal static class FairlaneHost
{
    /// <param name="args">The command line.</param>
    /// <param name="traceExport">A test hook: an exporter of the caller's for this node's spans (tracing then on).</param>
    public static WebApplication Build(string[] args, Action<OpenTelemetry.Trace.TracerProviderBuilder>? traceExport = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships next to the binary; systemd and containers start us from elsewhere.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddFairlaneSources(args);

        // Read before the host exists: they shape the host itself (listeners, grace, log fields).
        var worker = builder.Configuration.GetValidated<WorkerOptions, WorkerOptionsValidator>(WorkerOptions.Section);
        var http = builder.Configuration.GetValidated<HttpOptions, HttpOptionsValidator>(HttpOptions.Section);
        var admin = builder.Configuration.GetValidated<AdminOptions, AdminOptionsValidator>(AdminOptions.Section);
        if (AdminOptionsValidator.PortsDiffer(admin, http) is { Failed: true } clash)
            throw new OptionsValidationException(AdminOptions.Section, typeof(AdminOptions), clash.Failures);

        var telemetry = builder.Configuration.GetValidated<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.Section);

        builder.AddFairlaneLogging(worker.NodeId);
        builder.Services.AddTracing(telemetry, worker.NodeId, traceExport);
        builder.AddProcessHosting(worker, http, admin);
        builder.Services
            .AddSettings()
            .AddInfrastructure()
            .AddMigrations()                 // the schema, then the role check: before anything reads a table
            .AddAgents(builder.Configuration)
            .AddTenants()                    // tenant settings into the engine, before any event runs
            .AddDeadLetters()
            .AddParking()
            .AddPipeline()
            .AddDispatch()
            .AddIntake()
            .AddEngine()
            .AddOutbox()
            .AddRetention()
            .AddHealth();
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
    /// appsettings.json, appsettings.{Environment}.json, FAIRLANE__SECTION__KEY environment variables,
    /// then --Section:Key=value arguments, each overriding the one before.
    /// </summary>
    public static IConfigurationBuilder AddFairlaneSources(this IConfigurationBuilder configuration, string[] args) =>
        configuration.AddEnvironmentVariables("FAIRLANE__").AddCommandLine(args);
}
