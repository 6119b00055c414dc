using System.Text;

namespace Fairlane.Partitioning.Placement;

/// <summary>
/// Which partition a tenant's events land on. By default this is the Kafka default partitioner
/// (murmur2 of the UTF-8 key, as Java clients and librdkafka's <c>murmur2_random</c> compute it),
/// so records from any compatible producer reach the same partition as ours.
/// </summary>
public static class TenantPlacement
{
    /// <summary>The partition of <paramref name="tenantId"/> in a topic of <paramref name="partitions"/> partitions.</summary>
    public static int PartitionFor(string tenantId, int partitions)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitions);
        var hash = Murmur2.Hash(Encoding.UTF8.GetBytes(tenantId));
        // Kafka's toPositive: clear the sign bit rather than Math.Abs, which overflows on int.MinValue.
        return (hash & 0x7fffffff) % partitions;
    }
}
