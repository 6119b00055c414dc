using Fairlane.Agents.Tenants;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fairlane.Worker.Bus;

/// <summary>Publishes a tenant change notice on every Redis node (channel <c>{Redis:KeyPrefix}tenants:changed</c>).</summary>
internal sealed class RedisTenantChangeNotice(RedisNodes redis, IOptions<RedisOptions> options) : ITenantChangeNotice
{
    public async Task PublishAsync(string tenantId, CancellationToken cancellationToken)
    {
        var channel = RedisChannel.Literal(options.Value.KeyPrefix + "tenants:changed");
        for (var node = 0; node < redis.Endpoints.Count; node++)
        {
            var connection = await redis.GetAsync(node);
            if (connection.IsConnected) await connection.GetSubscriber().PublishAsync(channel, tenantId);
        }
    }
}
