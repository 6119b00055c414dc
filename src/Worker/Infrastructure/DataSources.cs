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
    public NpgsqlDataSource App { get; } = Build(options.Value.ConnectionString, "fairlane");
    public NpgsqlDataSource Owner { get; } = Build(options.Value.OwnerConnectionString, "fairlane-owner");

    private static NpgsqlDataSource Build(string connectionString, string applicationName)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
            builder.ConnectionStringBuilder.ApplicationName = applicationName;
        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Owner.DisposeAsync();
    }
}
