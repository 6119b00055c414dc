using Fairlane.Tests.Infrastructure;
using StackExchange.Redis;

namespace Fairlane.Tests.Worker.Tenants;

/// <summary>How many clients listen for a fleet's tenant change notices on a Redis node (PUBSUB NUMSUB).</summary>
internal static class NoticeSubscribers
{
    public static async Task<long> CountAsync(int redisPort, string keyPrefix)
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{redisPort}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 1_000;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        if (!redis.IsConnected) return -1;
        return await redis.GetServer($"127.0.0.1:{redisPort}").SubscriptionSubscriberCountAsync(RedisChannel.Literal(keyPrefix + "tenants:changed"));
    }

    /// <summary>Waits until <paramref name="nodes"/> workers listen on every port given.</summary>
    public static async Task WaitAsync(IEnumerable<int> redisPorts, string keyPrefix, int nodes)
    {
        foreach (var port in redisPorts)
        {
            await Eventually.WaitAsync(() => CountAsync(port, keyPrefix), n => n >= nodes, TimeSpan.FromSeconds(30),
                $"{nodes} workers to listen for tenant changes on Redis port {port}");
        }
    }
}
