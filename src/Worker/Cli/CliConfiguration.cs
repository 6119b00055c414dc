using Fairlane.Worker.Hosting;
using Serilog;
using Serilog.Extensions.Logging;

namespace Fairlane.Worker.Cli;

/// <summary>Configuration and logging for the one-shot commands, from the same sources as the daemon.</summary>
internal static class CliConfiguration
{
    public static IConfiguration Build(string[] configurationArgs)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
                          ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddFairlaneSources(configurationArgs)
            .Build();
    }

    public static ILoggerFactory Loggers(Serilog.Events.LogEventLevel minimumLevel = Serilog.Events.LogEventLevel.Information) =>
        new SerilogLoggerFactory(new LoggerConfiguration()
            .MinimumLevel.Is(minimumLevel)
            .WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose)
            .CreateLogger(), dispose: true);
}
