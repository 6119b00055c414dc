using System.Net;
using System.Net.Sockets;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Health;

/// <summary>
/// A TCP forwarder on a loopback port of its own to a server the test must not stop (the shared
/// PostgreSQL): <see cref="Cut"/> drops every connection and refuses new ones, as a stopped server
/// does; <see cref="Restore"/> listens again on the same port.
/// </summary>
internal sealed class CuttableProxy : IDisposable
{
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _cut;

    private CuttableProxy(int targetPort) => _targetPort = targetPort;

    public int Port { get; } = FreePort.Next();

    public static CuttableProxy Start(int targetPort)
    {
        var proxy = new CuttableProxy(targetPort);
        proxy.Restore();
        return proxy;
    }

    public void Restore()
    {
        _cut = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener, _cut.Token);
    }

    public void Cut()
    {
        _cut?.Cancel();
        _cut?.Dispose();
        _listener?.Stop();
        lock (_open)
        {
            foreach (var client in _open) client.Dispose();
            _open.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cut)
    {
        while (!cut.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cut);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, cut);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }
            lock (_open)
            {
                _open.Add(client);
                _open.Add(upstream);
            }
            _ = PumpAsync(client, upstream);
            _ = PumpAsync(upstream, client);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The other side or Cut closed the connection.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public void Dispose() => Cut();
}
