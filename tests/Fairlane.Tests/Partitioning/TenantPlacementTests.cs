using System.Text;
using Fairlane.Partitioning.Placement;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fairlane.Tests.Partitioning;

public sealed class TenantPlacementTests
{
    // Published test vectors of Kafka's murmur2 (Kafka's own UtilsTest uses these inputs and outputs).
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_matches_kafka_test_vectors(string input, int expected) =>
        Assert.Equal(expected, Murmur2.Hash(Encoding.UTF8.GetBytes(input)));

    [Property]
    public Property Partition_is_always_in_range(NonEmptyString tenant, PositiveInt partitions) =>
        (TenantPlacement.PartitionFor(tenant.Get, partitions.Get) is var p && p >= 0 && p < partitions.Get).ToProperty();

    [Property]
    public Property Same_tenant_always_maps_to_same_partition(NonEmptyString tenant) =>
        (TenantPlacement.PartitionFor(tenant.Get, 24) == TenantPlacement.PartitionFor(new string(tenant.Get), 24)).ToProperty();

    [Fact]
    public void Many_tenants_spread_over_all_partitions()
    {
        var counts = new int[24];
        for (var i = 0; i < 24_000; i++) counts[TenantPlacement.PartitionFor($"tenant-{i}", 24)]++;
        // A fair hash puts ~1000 on each; allow generous statistical room.
        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }
}
