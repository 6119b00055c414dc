using Fairlane.Agents.Tenants;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Tenants;

/// <summary>
/// Tells the fleet that a tenant changed: a message (the tenant id) on the Redis pub/sub channel
/// <c>{Redis:KeyPrefix}tenants:changed</c>, published on every node that answers, since a node
/// listens on all of them and any one may be down. Best effort: pub/sub keeps nothing for a node
/// that is not listening, and every node re-reads all tenants every Engine:TenantRefreshMs anyway.
/// </summary>
internal sealed partial class TenantChangeNotices(RedisNodes redis, IOptions<RedisOptions> options, ILogger<TenantChangeNotices> logger)
    : ITenantChangeNotice
{
    public RedisChannel Channel { get; } = ChannelFor(options.Value.KeyPrefix);

    public static RedisChannel ChannelFor(string keyPrefix) => RedisChannel.Literal(keyPrefix + "tenants:changed");

    /// <summary>Publishes the notice on every Redis node at once; returns on how many it was published.</summary>
    public async Task<int> PublishAsync(string tenantId, CancellationToken cancellationToken)
    {
        var published = await Task.WhenAll(Enumerable.Range(0, redis.Endpoints.Count).Select(i => PublishOnAsync(i, tenantId, cancellationToken)));
        var count = published.Count(p => p);
        if (count == 0)
        {
            LogNoNodeTook(logger, tenantId);
        }
        return count;
    }

    // For handlers (tenant commands, budgets), which only announce: how far the notice got is logged here.
    Task ITenantChangeNotice.PublishAsync(string tenantId, CancellationToken cancellationToken) => PublishAsync(tenantId, cancellationToken);

    private async Task<bool> PublishOnAsync(int node, string tenantId, CancellationToken cancellationToken)
    {
        var endpoint = redis.Endpoints[node];
        var timeout = TimeSpan.FromMilliseconds(options.Value.ConnectTimeoutMs);
        try
        {
            var connection = await redis.GetAsync(node).WaitAsync(timeout, cancellationToken);
            // A node that is down would hold the message in the client's backlog for seconds; skip it instead.
            if (!connection.IsConnected)
            {
                LogNotConnected(logger, endpoint, tenantId);
                return false;
            }
            await connection.GetSubscriber().PublishAsync(Channel, tenantId).WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            LogTimedOut(logger, endpoint, options.Value.ConnectTimeoutMs, tenantId);
            return false;
        }
        catch (RedisException ex)
        {
            LogPublishFailed(logger, tenantId, endpoint, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No Redis node took the change notice for tenant {Tenant}; nodes apply the change at their next refresh (Engine:TenantRefreshMs)")]
    private static partial void LogNoNodeTook(ILogger logger, string tenant);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis node {Endpoint} is not connected; the change notice for tenant {Tenant} was not published there")]
    private static partial void LogNotConnected(ILogger logger, string endpoint, string tenant);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Redis node {Endpoint} did not answer within {TimeoutMs} ms (Redis:ConnectTimeoutMs); the change notice for tenant {Tenant} was not published there")]
    private static partial void LogTimedOut(ILogger logger, string endpoint, int timeoutMs, string tenant);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the change notice for tenant {Tenant} on Redis node {Endpoint} failed: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string tenant, string endpoint, string reason);
}
