using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fairlane.Worker.Health;

/// <summary>
/// "redis": a majority of the Redis nodes answer a ping. That is what leadership (RedLock) needs, so
/// one node down out of three is still ready; a single-node check would miss the quorum.
/// </summary>
internal sealed class RedisHealthCheck(RedisNodes redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pings = await Task.WhenAll(Enumerable.Range(0, redis.Endpoints.Count).Select(i => PingAsync(i, cancellationToken)));
        var up = pings.Count(p => p);
        var detail = $"{up}/{pings.Length} node(s) answer";
        return up > pings.Length / 2 ? HealthCheckResult.Healthy(detail) : HealthCheckResult.Unhealthy(detail);
    }

    private async Task<bool> PingAsync(int node, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await redis.GetAsync(node).WaitAsync(cancellationToken);
            await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }
}
