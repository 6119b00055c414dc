using Fairlane.Worker.Configuration;
using Fairlane.Worker.Migrations;
using Npgsql;

namespace Fairlane.Worker.Cli;

/// <summary>`fairlane migrate`: apply pending migrations as the schema owner and exit.</summary>
internal static partial class MigrateCommand
{
    public static async Task<int> RunAsync(CommandLine line)
    {
        var options = CliConfiguration.Build(line.ConfigurationArgs)
            .GetValidated<PostgresOptions, PostgresOptionsValidator>(PostgresOptions.Section);
        using var loggers = CliConfiguration.Loggers();
        var logger = loggers.CreateLogger<MigrationRunner>();
        await using var owner = NpgsqlDataSource.Create(options.OwnerConnectionString);
        try
        {
            await new MigrationRunner(owner, options.AppRole, logger).ApplyAsync(CancellationToken.None);
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            LogMigrationFailed(logger, ex.Message);
            return ExitCodes.Failure;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Migration failed: {Reason}")]
    private static partial void LogMigrationFailed(ILogger logger, string reason);
}
