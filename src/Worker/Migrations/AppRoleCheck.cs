using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Migrations;

/// <summary>
/// Row-level security is the tenant boundary, and it binds only the role that tenant work logs in as.
/// Migrations check the role named by <c>Postgres:AppRole</c>; this checks that
/// <c>Postgres:ConnectionString</c> really logs in as that role and that the login cannot bypass RLS
/// (a superuser, BYPASSRLS, or the owner of a table whose policies it is exempt from). Owner
/// credentials pasted into the application setting would otherwise turn isolation off without a word.
/// Runs after the migrations (so the tables exist) and before any consumer starts.
/// </summary>
internal sealed class AppRoleCheck(DataSources dataSources, IOptions<PostgresOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var appRole = options.Value.AppRole;
        await using var connection = await dataSources.App.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand("""
            SELECT current_user::text, r.rolsuper, r.rolbypassrls,
                   (SELECT count(*) FROM pg_class c
                     WHERE c.relowner = r.oid AND c.relrowsecurity AND NOT c.relforcerowsecurity)
              FROM pg_roles r WHERE r.rolname = current_user
            """, connection);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (login, superuser, bypassRls, ownsProtectedTables) = (reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetInt64(3));

        var errors = new SettingErrors(PostgresOptions.Section);
        if (login != appRole)
        {
            errors.Add(nameof(PostgresOptions.ConnectionString),
                $"logs in as role '{login}', not as Postgres:AppRole '{appRole}'. Tenant work must run as the application role, " +
                "which row-level security binds; put the schema owner's credentials in Postgres:OwnerConnectionString only.");
        }
        else if (superuser || bypassRls || ownsProtectedTables > 0)
        {
            errors.Add(nameof(PostgresOptions.ConnectionString),
                $"logs in as role '{login}', which " +
                (superuser ? "is a superuser" : bypassRls ? "has BYPASSRLS" : $"owns {ownsProtectedTables} tables with row-level security") +
                ", so row-level security would not isolate tenants. Use an ordinary role that owns nothing.");
        }
        if (errors.Result() is { Failed: true } failed)
            throw new OptionsValidationException(PostgresOptions.Section, typeof(PostgresOptions), failed.Failures);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
