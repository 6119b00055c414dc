using System.Text.Json;
using Fairlane.Agents.Bus;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Bus;

/// <summary>
/// The event bus on Redis pub/sub: channel <c>{Redis:KeyPrefix}events:{tenant}</c>, JSON notices.
/// Each notice goes to the first connected node in configured order, so a listener subscribed on
/// every node hears it once, and one node down only moves the traffic to the next.
/// </summary>
internal sealed partial class RedisEventBus(RedisNodes redis, IOptions<RedisOptions> options, ILogger<RedisEventBus> logger) : IEventBus
{
    public static RedisChannel ChannelFor(string keyPrefix, string tenantId) => RedisChannel.Literal($"{keyPrefix}events:{tenantId}");

    public async Task PublishAsync(BusNotice notice, CancellationToken cancellationToken)
    {
        var channel = ChannelFor(options.Value.KeyPrefix, notice.TenantId);
        var message = JsonSerializer.Serialize(notice, AgentsJsonContext.Default.BusNotice);
        var timeout = TimeSpan.FromMilliseconds(options.Value.ConnectTimeoutMs);
        for (var node = 0; node < redis.Endpoints.Count; node++)
        {
            try
            {
                var connection = await redis.GetAsync(node).WaitAsync(timeout, cancellationToken);
                if (!connection.IsConnected) continue;
                await connection.GetSubscriber().PublishAsync(channel, message).WaitAsync(timeout, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogNodeRefused(logger, ex, redis.Endpoints[node]);
            }
        }
        LogNoNodeTook(logger, notice.Type, notice.TenantId);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis node {Endpoint} did not take a bus notice; trying the next")]
    private static partial void LogNodeRefused(ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Redis node took the {Type} notice for tenant {Tenant}")]
    private static partial void LogNoNodeTook(ILogger logger, string type, string tenant);
}
