using System.Diagnostics;
using System.Net.Sockets;

namespace Fairlane.LoadTest.Stack;

/// <summary>PostgreSQL and the Redis nodes: used when they answer, started with scripts/dev-servers.sh when they do not.</summary>
internal sealed record LocalServers(int PostgresPort, IReadOnlyList<int> RedisPorts)
{
    public const string OwnerUser = "fairlane";
    public const string AppUser = "fairlane_app";

    public string OwnerConnectionString(string database) =>
        $"Host=127.0.0.1;Port={PostgresPort};Database={database};Username={OwnerUser};Password=fairlane;Pooling=true;Timeout=15;Command Timeout=120";

    public string AppConnectionString(string database) =>
        $"Host=127.0.0.1;Port={PostgresPort};Database={database};Username={AppUser};Password=fairlane_app;Pooling=true;Timeout=15";

    public async Task EnsureUpAsync(CancellationToken cancellationToken)
    {
        if (await AllAnswerAsync(cancellationToken)) return;
        Console.WriteLine("PostgreSQL or Redis is not answering: starting them with scripts/dev-servers.sh up");
        var info = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "scripts", "dev-servers.sh"), "up"]) { UseShellExecute = false };
        using var script = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        await script.WaitForExitAsync(cancellationToken);
        if (script.ExitCode != 0 || !await AllAnswerAsync(cancellationToken))
        {
            throw new InvalidOperationException(
                $"PostgreSQL (127.0.0.1:{PostgresPort}) or Redis ({string.Join(", ", RedisPorts)}) still does not answer; see scripts/dev-servers.sh status.");
        }
    }

    private async Task<bool> AllAnswerAsync(CancellationToken cancellationToken)
    {
        foreach (var port in RedisPorts.Prepend(PostgresPort))
        {
            if (!await AnswersAsync(port, cancellationToken)) return false;
        }
        return true;
    }

    private static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
