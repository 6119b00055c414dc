using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fairlane.Worker.Infrastructure;

/// <summary>
/// One multiplexer per independent Redis node (RedLock needs them separate, never a cluster).
/// Connections are made lazily and reconnect on their own; a node that is down is not fatal.
/// </summary>
internal sealed class RedisNodes(IOptions<RedisOptions> options) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>>[] _nodes = options.Value.Endpoints
        .Select(endpoint => new Lazy<Task<ConnectionMultiplexer>>(() => Connect(endpoint, options.Value)))
        .ToArray();

    public IReadOnlyList<string> Endpoints => options.Value.Endpoints;

    public Task<ConnectionMultiplexer> GetAsync(int index) => _nodes[index].Value;

    private static Task<ConnectionMultiplexer> Connect(string endpoint, RedisOptions o)
    {
        var config = ConfigurationOptions.Parse(endpoint);
        config.AbortOnConnectFail = false;
        config.ConnectTimeout = o.ConnectTimeoutMs;
        // A node that is down must cost nothing: commands fail at once instead of queueing for a
        // reconnect, so a RedLock vote (whose lock expires in seconds) is not held up by a dead node.
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.AsyncTimeout = config.SyncTimeout = Math.Max(o.ConnectTimeoutMs, 1_000);
        config.ClientName = "fairlane";
        return ConnectionMultiplexer.ConnectAsync(config);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Where(n => n.IsValueCreated))
        {
            if (node.Value.IsCompletedSuccessfully) await node.Value.Result.DisposeAsync();
        }
    }
}
