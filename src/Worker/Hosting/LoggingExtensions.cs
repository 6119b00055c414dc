using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Fairlane.Worker.Hosting;

internal static class LoggingExtensions
{
    /// <summary>
    /// Serilog to the console: JSON (one event per line, for journald and log shippers) when stdout is
    /// not a terminal, readable text when it is. <c>Logging:Format</c> = json|text overrides.
    /// </summary>
    public static WebApplicationBuilder AddFairlaneLogging(this WebApplicationBuilder builder, string nodeId)
    {
        var level = builder.Configuration.GetValue("Logging:MinimumLevel", LogEventLevel.Information);
        var format = builder.Configuration.GetValue<string>("Logging:Format") ?? "auto";
        var json = format.Equals("json", StringComparison.OrdinalIgnoreCase)
                   || (format.Equals("auto", StringComparison.OrdinalIgnoreCase) && Console.IsOutputRedirected);

        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Node", nodeId)
            .Enrich.With<Observability.TracingLogEnricher>();
        logger = json
            ? logger.WriteTo.Console(new RenderedCompactJsonFormatter())
            : logger.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}");

        builder.Services.AddSerilog(logger.CreateLogger(), dispose: true);
        return builder;
    }
}
