using Fairlane.Worker.Hosting;
using StackExchange.Redis;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Tenants;

/// <summary>
/// Listens for tenant change notices on every configured Redis node and asks for an immediate tenant
/// refresh on each, so a change made anywhere in the fleet is applied everywhere within a moment
/// rather than at the next Engine:TenantRefreshMs.
/// </summary>
/// <remarks>
/// A node that is down at start is not fatal: the multiplexer keeps the subscription and makes it when
/// the node answers again, and it re-subscribes by itself after every reconnect. Pub/sub keeps nothing
/// for a listener that is away, so each time a node's subscription is made or restored we re-read once:
/// a change announced while we were not listening is picked up then.
/// </remarks>
internal sealed class TenantChangeListener(
    RedisNodes redis, TenantChangeNotices notices, TenantRefreshRequests requests, ILogger<TenantChangeListener> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nodes = await Task.WhenAll(Enumerable.Range(0, redis.Endpoints.Count).Select(i => ListenOnAsync(i, stoppingToken)));
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            foreach (var node in nodes.OfType<ConnectionMultiplexer>())
            {
                node.ConnectionRestored -= OnConnectionRestored;
                // Fire and forget: the node may be down, and shutdown must not wait on it.
                await node.GetSubscriber().UnsubscribeAsync(notices.Channel, OnNotice, CommandFlags.FireAndForget);
            }
        }
    }

    private async Task<ConnectionMultiplexer?> ListenOnAsync(int node, CancellationToken cancellationToken)
    {
        var endpoint = redis.Endpoints[node];
        ConnectionMultiplexer connection;
        try
        {
            connection = await redis.GetAsync(node).WaitAsync(cancellationToken);
        }
        catch (RedisException ex)
        {
            logger.LogWarning("Redis node {Endpoint} could not be set up, so tenant change notices are not heard there: {Reason}", endpoint, ex.Message);
            return null;
        }
        connection.ConnectionRestored += OnConnectionRestored;
        try
        {
            await connection.GetSubscriber().SubscribeAsync(notices.Channel, OnNotice);
            logger.LogInformation("Listening for tenant change notices on Redis node {Endpoint}", endpoint);
            requests.Request(); // what changed before we listened
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Redis node {Endpoint} is unreachable; tenant change notices are heard there once it is back: {Reason}",
                endpoint, ex.Message);
        }
        return connection;
    }

    private void OnNotice(RedisChannel channel, RedisValue tenantId)
    {
        logger.LogDebug("Tenant {Tenant} changed; re-reading tenant settings", tenantId.ToString());
        requests.Request();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription) return;
        logger.LogInformation("Redis node {Endpoint} is back; re-reading tenant settings in case a change notice was missed", e.EndPoint);
        requests.Request();
    }
}
