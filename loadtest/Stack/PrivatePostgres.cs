using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Fairlane.LoadTest.Stack;

/// <summary>
/// A PostgreSQL cluster of one run's own: initdb into a fresh temporary directory, on a free loopback
/// port, with the roles the daemon expects (fairlane owns and creates databases, fairlane_app is
/// subject to row-level security). The chaos run restarts it; the shared development cluster is
/// never touched. initdb and postgres refuse to run as root, so as root they run as the postgres OS
/// user. Stop removes the cluster's files.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;

    private PrivatePostgres(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        Port = port;
    }

    public int Port { get; }
    private string Data => Path.Combine(_root, "data");

    public static async Task<PrivatePostgres> StartAsync(CancellationToken cancellationToken)
    {
        var (_, bindir) = await RunAsync("pg_config", ["--bindir"], cancellationToken);
        var root = Path.Combine(Path.GetTempPath(), $"fairlane-chaos-pg-{Guid.NewGuid():N}"[..32]);
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // initdb wants 0700
        var pg = new PrivatePostgres(bindir.Trim(), root, FreePort.Next());
        if (Environment.IsPrivilegedProcess) await RunAsync("chown", ["postgres:postgres", root], cancellationToken);
        await pg.AsOwnerAsync("initdb", ["-D", pg.Data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-sync"],
            cancellationToken);
        await File.AppendAllTextAsync(Path.Combine(pg.Data, "postgresql.conf"), string.Create(CultureInfo.InvariantCulture, $"""

            listen_addresses = '127.0.0.1'
            port = {pg.Port}
            unix_socket_directories = '{root}'
            unix_socket_permissions = 0700
            max_connections = 300
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            """), cancellationToken);
        await pg.StartAgainAsync(cancellationToken);
        await pg.CreateRolesAsync(cancellationToken);
        return pg;
    }

    /// <summary>The servers a run's database and workers use: this cluster, and the given Redis nodes.</summary>
    public LocalServers With(IReadOnlyList<int> redisPorts) => new(Port, redisPorts);

    /// <summary>A fast shutdown (clients are disconnected, in-flight transactions roll back), as a restart by an operator does.</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        AsOwnerAsync("pg_ctl", ["stop", "-D", Data, "-m", "fast", "-w", "-t", "60", "-s"], cancellationToken);

    public Task StartAgainAsync(CancellationToken cancellationToken) =>
        AsOwnerAsync("pg_ctl", ["start", "-D", Data, "-l", Path.Combine(_root, "postgresql.log"), "-w", "-t", "60", "-s"], cancellationToken);

    private async Task CreateRolesAsync(CancellationToken cancellationToken)
    {
        // Over the Unix socket as the superuser (local connections are trusted; the directory is the postgres user's).
        await using var connection = new NpgsqlConnection($"Host={_root};Port={Port};Username=postgres;Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand($"""
            CREATE ROLE {LocalServers.OwnerUser} LOGIN CREATEDB NOSUPERUSER PASSWORD 'fairlane';
            CREATE ROLE {LocalServers.AppUser} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'fairlane_app';
            GRANT pg_signal_backend TO {LocalServers.OwnerUser};
            """, connection);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task AsOwnerAsync(string tool, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_bin, tool);
        var (code, output) = Environment.IsPrivilegedProcess
            ? await RunAsync("runuser", ["-u", "postgres", "--", path, .. args], cancellationToken)
            : await RunAsync(path, args, cancellationToken);
        if (code != 0) throw new InvalidOperationException($"{tool} failed ({code}) for the run's PostgreSQL in {_root}:\n{output}");
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        // From / : a working directory the postgres user cannot read makes its tools complain.
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    // Also on failure or Ctrl-C (the run's `await using`): an immediate stop, then the files go.
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await AsOwnerAsync("pg_ctl", ["stop", "-D", Data, "-m", "immediate", "-w", "-t", "60", "-s"], CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Not running (a failed start or restart): nothing to stop.
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
