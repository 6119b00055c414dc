using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Fairlane.LoadTest.Stack;

/// <summary>
/// Redis servers of one run's own (redis-server on free loopback ports, no persistence), which the
/// chaos run may kill and start again; the shared development servers are never touched.
/// </summary>
internal sealed class PrivateRedisNodes : IAsyncDisposable
{
    private readonly Process?[] _servers;

    private PrivateRedisNodes(int[] ports)
    {
        Ports = ports;
        _servers = new Process?[ports.Length];
    }

    public IReadOnlyList<int> Ports { get; }

    public static async Task<PrivateRedisNodes> StartAsync(int count, CancellationToken cancellationToken)
    {
        var nodes = new PrivateRedisNodes([.. Enumerable.Range(0, count).Select(_ => FreePort.Next())]);
        try
        {
            for (var i = 0; i < count; i++) await nodes.StartNodeAsync(i, cancellationToken);
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
        return nodes;
    }

    /// <summary>Starts node <paramref name="index"/> (again, on its port) and waits until it accepts connections.</summary>
    public async Task StartNodeAsync(int index, CancellationToken cancellationToken)
    {
        if (_servers[index] is not null) throw new InvalidOperationException($"Redis node {index} is running.");
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "--port", Ports[index].ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            info.ArgumentList.Add(arg);
        var server = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start; is the redis-server package installed?");
        server.OutputDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        _servers[index] = server;
        for (var waited = 0; !await AnswersAsync(Ports[index], cancellationToken); waited++)
        {
            if (waited > 100 || server.HasExited) throw new InvalidOperationException($"redis-server on port {Ports[index]} did not start answering.");
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>SIGKILLs node <paramref name="index"/>: its clients see their connections drop, as when a node crashes.</summary>
    public async Task KillAsync(int index)
    {
        if (_servers[index] is not { } server) return;
        server.Kill();
        await server.WaitForExitAsync();
        server.Dispose();
        _servers[index] = null;
    }

    private static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _servers.Length; i++) await KillAsync(i);
    }
}
