using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;
using RedLockNet;
using RedLockNet.SERedis;
using RedLockNet.SERedis.Configuration;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Guardian;

/// <summary>
/// The Guardian's leadership lock: RedLock over every configured Redis node (a majority must agree),
/// key <c>{Redis:KeyPrefix}lock:guardian</c>. One attempt, no waiting: a node that loses the race
/// simply does not lead this period. RedLock extends the lock while the returned handle lives, so
/// the caller disposes it as soon as the run ends (DESIGN §6).
/// </summary>
internal sealed class GuardianLock(RedisNodes redis, IOptions<RedisOptions> options, ILoggerFactory loggerFactory) : IDisposable
{
    private readonly SemaphoreSlim _create = new(1, 1);
    private RedLockFactory? _factory;

    public async Task<IRedLock> TryAcquireAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        var factory = await FactoryAsync(cancellationToken);
        return await factory.CreateLockAsync(options.Value.KeyPrefix + "lock:guardian", ttl);
    }

    private async Task<RedLockFactory> FactoryAsync(CancellationToken cancellationToken)
    {
        if (_factory is not null) return _factory;
        await _create.WaitAsync(cancellationToken);
        try
        {
            if (_factory is not null) return _factory;
            // Connections are made with AbortOnConnectFail off: a node that is down still gets a
            // multiplexer, which reconnects by itself and simply fails its vote meanwhile.
            var nodes = await Task.WhenAll(Enumerable.Range(0, redis.Endpoints.Count).Select(redis.GetAsync));
            var multiplexers = nodes.Select(n => new RedLockMultiplexer(n) { RedisKeyFormat = "{0}" }).ToList();
            return _factory = RedLockFactory.Create(multiplexers, new RedLockRetryConfiguration(1, 10), loggerFactory);
        }
        finally
        {
            _create.Release();
        }
    }

    public void Dispose() => _factory?.Dispose();
}
