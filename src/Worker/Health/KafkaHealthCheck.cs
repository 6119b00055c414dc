using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fairlane.Worker.Health;

/// <summary>
/// "kafka": the cluster's metadata lists brokers. A singleton: its admin client (a librdkafka
/// instance, threads and connections) is made once, on the first check, and kept.
/// </summary>
internal sealed class KafkaHealthCheck(KafkaClientFactory kafka) : IHealthCheck, IDisposable
{
    private readonly Lazy<Confluent.Kafka.IAdminClient> _admin = new(kafka.Admin);

    // GetMetadata blocks: off the request thread, abandoned when the check's timeout cancels the wait.
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            var metadata = _admin.Value.GetMetadata(HealthServices.CheckTimeout);
            return metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)")
                : HealthCheckResult.Unhealthy("metadata lists no brokers");
        }, cancellationToken).WaitAsync(cancellationToken);

    public void Dispose()
    {
        if (_admin.IsValueCreated) _admin.Value.Dispose();
    }
}
