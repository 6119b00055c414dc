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
internal sealed partial class TenantChangeListener(
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
            LogSetupFailed(logger, endpoint, ex.Message);
            return null;
        }
        connection.ConnectionRestored += OnConnectionRestored;
        try
        {
            await connection.GetSubscriber().SubscribeAsync(notices.Channel, OnNotice);
            LogListening(logger, endpoint);
            requests.Request(); // what changed before we listened
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogUnreachable(logger, endpoint, ex.Message);
        }
        return connection;
    }

    private void OnNotice(RedisChannel channel, RedisValue tenantId)
    {
        LogNotice(logger, tenantId);
        requests.Request();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription) return;
        LogNodeBack(logger, e.EndPoint);
        requests.Request();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis node {Endpoint} could not be set up, so tenant change notices are not heard there: {Reason}")]
    private static partial void LogSetupFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for tenant change notices on Redis node {Endpoint}")]
    private static partial void LogListening(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis node {Endpoint} is unreachable; tenant change notices are heard there once it is back: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string endpoint, string reason);

    // The tenant id arrives as a RedisValue; it is formatted as its string.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Tenant {Tenant} changed; re-reading tenant settings")]
    private static partial void LogNotice(ILogger logger, RedisValue tenant);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis node {Endpoint} is back; re-reading tenant settings in case a change notice was missed")]
    private static partial void LogNodeBack(ILogger logger, System.Net.EndPoint? endpoint);
}
