using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// A Redis server of one test's own (the Debian package's redis-server, on a free loopback port, no
/// persistence), which the test may stop and start again: the shared test servers must never be stopped.
/// </summary>
internal sealed class PrivateRedis : IAsyncDisposable
{
    private Process? _server;

    private PrivateRedis(int port) => Port = port;

    public int Port { get; }

    public static async Task<PrivateRedis> StartAsync()
    {
        var redis = new PrivateRedis(FreePort.Next());
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts the server (again, on the same port) and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        if (_server is not null) throw new InvalidOperationException("The server is running.");
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            info.ArgumentList.Add(arg);
        _server = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start; is the redis-server package installed?");
        _server.BeginOutputReadLine();
        await Eventually.WaitAsync(AnswersAsync, up => up, TimeSpan.FromSeconds(10), $"the private Redis server on port {Port} to answer");
    }

    /// <summary>Kills the server: its clients see the connection drop, as when a node crashes.</summary>
    public async Task StopAsync()
    {
        if (_server is null) return;
        _server.Kill();
        await _server.WaitForExitAsync();
        _server.Dispose();
        _server = null;
    }

    private async Task<bool> AnswersAsync()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{Port}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 500;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        return connection.IsConnected;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
