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

    /// <summary>
    /// The app pool also skips the session reset when a connection goes back to the pool (four
    /// statements on its next use, on every transaction): the application role's work leaves no session
    /// state behind, its tenant binding and locks being transaction-local. The owner's pool keeps the
    /// reset: migrations and retention take session advisory locks.
    /// </summary>
    public NpgsqlDataSource App { get; } = Build(options.Value.ConnectionString, "fairlane", AutoPreparedStatements, noResetOnClose: true);
    public NpgsqlDataSource Owner { get; } = Build(options.Value.OwnerConnectionString, "fairlane-owner", 0, noResetOnClose: false);

    private static NpgsqlDataSource Build(string connectionString, string applicationName, int autoPrepare, bool noResetOnClose)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
            builder.ConnectionStringBuilder.ApplicationName = applicationName;
        if (!Sets(connectionString, "MaxAutoPrepare")) builder.ConnectionStringBuilder.MaxAutoPrepare = autoPrepare;
        if (!Sets(connectionString, "NoResetOnClose")) builder.ConnectionStringBuilder.NoResetOnClose = noResetOnClose;
        // Traced, a statement is a span only inside one of ours (an event's run, a push): the loops'
        // polls and leases would otherwise each start a trace of their own.
        builder.ConfigureTracing(t => t
            .ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is not null)
            .ConfigureBatchFilter(_ => System.Diagnostics.Activity.Current is not null));
        return builder.Build();
    }

    // As the operator wrote it: Max Auto Prepare=0 there means "prepare nothing" (behind a transaction-mode pooler).
    private static bool Sets(string connectionString, string key)
    {
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return written.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals(key, StringComparison.OrdinalIgnoreCase));
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Owner.DisposeAsync();
    }
}
