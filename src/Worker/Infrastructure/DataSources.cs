using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fairlane.Worker.Infrastructure;

/// <summary>
/// The two PostgreSQL pools: the application role (tenant work, under row-level security) and the
/// schema owner (migrations and fleet-wide jobs). One of each per process.
/// </summary>
internal sealed class DataSources(IOptions<PostgresOptions> options) : IAsyncDisposable
{
    /// <summary>
    /// Statements the app pool prepares on a connection once used a few times, unless the connection
    /// string says otherwise: every event runs the same handful of statements, and a prepared one skips
    /// parsing and planning on each run.
    /// </summary>
    public const int AutoPreparedStatements = 64;

    public NpgsqlDataSource App { get; } = Build(options.Value.ConnectionString, "fairlane", AutoPreparedStatements);
    public NpgsqlDataSource Owner { get; } = Build(options.Value.OwnerConnectionString, "fairlane-owner", 0);

    private static NpgsqlDataSource Build(string connectionString, string applicationName, int autoPrepare)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
            builder.ConnectionStringBuilder.ApplicationName = applicationName;
        if (!SetsAutoPrepare(connectionString)) builder.ConnectionStringBuilder.MaxAutoPrepare = autoPrepare;
        // Traced, a statement is a span only inside one of ours (an event's run, a push): the loops'
        // polls and leases would otherwise each start a trace of their own.
        builder.ConfigureTracing(t => t
            .ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is not null)
            .ConfigureBatchFilter(_ => System.Diagnostics.Activity.Current is not null));
        return builder.Build();
    }

    // As the operator wrote it: 0 there means "prepare nothing" (behind a transaction-mode pooler).
    private static bool SetsAutoPrepare(string connectionString)
    {
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return written.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Owner.DisposeAsync();
    }
}
