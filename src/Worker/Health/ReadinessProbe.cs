using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Health;

/// <summary>One dependency's answer to a readiness check.</summary>
internal sealed record DependencyStatus(string Name, bool Ready, string Detail);

/// <summary>
/// Asks Kafka, PostgreSQL and Redis whether they answer, each within a short timeout, in parallel.
/// Redis is ready when a majority of its nodes answer: that is what leadership needs.
/// </summary>
internal sealed class ReadinessProbe(KafkaClientFactory kafka, DataSources dataSources, RedisNodes redis) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly Lazy<Confluent.Kafka.IAdminClient> _admin = new(kafka.Admin);

    public async Task<IReadOnlyList<DependencyStatus>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(
            Guard("kafka", CheckKafkaAsync),
            Guard("postgres", CheckPostgresAsync),
            Guard("redis", CheckRedisAsync));
        return checks;

        async Task<DependencyStatus> Guard(string name, Func<CancellationToken, Task<string>> check)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                return new DependencyStatus(name, true, await check(timeout.Token).WaitAsync(timeout.Token));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return new DependencyStatus(name, false, ex is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : ex.Message);
            }
        }
    }

    private Task<string> CheckKafkaAsync(CancellationToken cancellationToken) => Task.Run(() =>
    {
        var metadata = _admin.Value.GetMetadata(Timeout);
        return metadata.Brokers.Count > 0
            ? $"{metadata.Brokers.Count} broker(s)"
            : throw new InvalidOperationException("metadata lists no brokers");
    }, cancellationToken);

    private async Task<string> CheckPostgresAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSources.App.CreateCommand("SELECT 1");
        await cmd.ExecuteScalarAsync(cancellationToken);
        return "ok";
    }

    private async Task<string> CheckRedisAsync(CancellationToken cancellationToken)
    {
        var pings = await Task.WhenAll(Enumerable.Range(0, redis.Endpoints.Count).Select(async i =>
        {
            try
            {
                var node = await redis.GetAsync(i).WaitAsync(cancellationToken);
                await node.GetDatabase().PingAsync().WaitAsync(cancellationToken);
                return true;
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or OperationCanceledException)
            {
                return false;
            }
        }));
        var up = pings.Count(p => p);
        var detail = $"{up}/{pings.Length} node(s) answer";
        return up > pings.Length / 2 ? detail : throw new InvalidOperationException(detail);
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated) _admin.Value.Dispose();
    }
}
