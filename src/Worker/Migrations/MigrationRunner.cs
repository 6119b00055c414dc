using Npgsql;

namespace Fairlane.Worker.Migrations;

/// <summary>
/// Applies pending migrations as the schema owner. Safe to run twice and from several nodes at once:
/// a session advisory lock serialises runners, each migration commits with its ledger row, and an
/// applied migration whose script changed stops the run.
/// </summary>
internal sealed partial class MigrationRunner(NpgsqlDataSource owner, string appRole, ILogger<MigrationRunner> logger)
{
    // Arbitrary, fixed: every Fairlane node contends for the same advisory lock.
    private const long AdvisoryLockKey = 0x4641_4952_4C41_4E45; // "FAIRLANE"

    public async Task<int> ApplyAsync(CancellationToken cancellationToken)
    {
        var migrations = Migration.LoadEmbedded();
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            await EnsureAppRoleIsIsolatedAsync(connection, cancellationToken);

            var applied = await LoadAppliedAsync(connection, cancellationToken);
            var count = 0;
            foreach (var migration in migrations)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration V{migration.Version:000} ({migration.Name}) was applied with a different script. " +
                            "Applied migrations must never change: add a new migration instead.");
                    }
                    continue;
                }
                await ApplyOneAsync(connection, migration, cancellationToken);
                count++;
            }
            LogSchemaVersion(logger, migrations.Count == 0 ? 0 : migrations[^1].Version, count);
            return count;
        }
        finally
        {
            await UnlockAsync(connection);
        }
    }

    private async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        LogApplying(logger, migration.Version, migration.Name);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, tx, migration.Sql.Replace("{{app_role}}", QuoteIdentifier(appRole), StringComparison.Ordinal), cancellationToken);
        await using (var record = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (@v, @n, @c)", connection, tx))
        {
            record.Parameters.AddWithValue("v", migration.Version);
            record.Parameters.AddWithValue("n", migration.Name);
            record.Parameters.AddWithValue("c", migration.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    // Row-level security is the tenant boundary; a superuser or BYPASSRLS application role would void it.
    private async Task EnsureAppRoleIsIsolatedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = @r", connection);
        cmd.Parameters.AddWithValue("r", appRole);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException(
                $"Postgres:AppRole names role '{appRole}', which does not exist. Create it (LOGIN NOSUPERUSER NOBYPASSRLS) or set Postgres:AppRole.");
        }
        if (reader.GetBoolean(0) || reader.GetBoolean(1))
        {
            throw new InvalidOperationException(
                $"Postgres:AppRole '{appRole}' is a superuser or has BYPASSRLS, so row-level security would not isolate tenants. Use an ordinary role.");
        }
    }

    // A pooled connection keeps its session, and so the advisory lock, after disposal: release it
    // explicitly. If the connection broke, the server already ended the session and its lock.
    private async Task UnlockAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open) return;
        try
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            LogLockNotReleased(logger, ex);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    private static async Task<Dictionary<int, string>> LoadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var cmd = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) applied[reader.GetInt32(0)] = reader.GetString(1);
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema is at version {Version}; {Applied} migration(s) applied now")]
    private static partial void LogSchemaVersion(ILogger logger, int version, int applied);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying migration V{Version:000} {Name}")]
    private static partial void LogApplying(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the migration lock; it is released when the session ends")]
    private static partial void LogLockNotReleased(ILogger logger, Exception exception);
}
