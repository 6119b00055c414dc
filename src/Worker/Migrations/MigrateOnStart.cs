using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Migrations;

/// <summary>
/// Brings the schema up to date before any consumer starts (it is registered first, and hosted
/// services start in order). A failure stops startup: the supervisor restarts us.
/// </summary>
internal sealed class MigrateOnStart(DataSources dataSources, IOptions<PostgresOptions> options, ILoggerFactory loggers) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStart) return;
        var runner = new MigrationRunner(dataSources.Owner, options.Value.AppRole, loggers.CreateLogger<MigrationRunner>());
        await runner.ApplyAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
