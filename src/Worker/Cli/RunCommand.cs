using Fairlane.Worker.Hosting;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Cli;

/// <summary>`fairlane run`: the daemon, until SIGINT/SIGTERM or a fault.</summary>
internal static partial class RunCommand
{
    public static async Task<int> RunAsync(CommandLine line)
    {
        await using var app = FairlaneHost.Build(line.ConfigurationArgs);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Fairlane.Worker");
        try
        {
            // Not RunAsync: it disposes the host, and the services must still be asked how they ended.
            await app.StartAsync();
            await app.WaitForShutdownAsync();
        }
        catch (Exception ex) when (FairlaneCli.ConfigurationProblem(ex) is null)
        {
            var reason = ex.GetBaseException().Message;
            LogStopped(logger, ex, reason);
            await Console.Error.WriteLineAsync($"fairlane: stopped: {reason}");
            return ExitCodes.Failure;
        }

        if (HostFaults.FirstFault(app.Services) is { } fault)
        {
            LogServiceFaulted(logger, fault, fault.Message);
            await Console.Error.WriteLineAsync($"fairlane: a service faulted: {fault.Message}");
            return ExitCodes.Failure;
        }
        return ExitCodes.Ok;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fairlane stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fairlane stopped because a service faulted: {Reason}")]
    private static partial void LogServiceFaulted(ILogger logger, Exception exception, string reason);
}
