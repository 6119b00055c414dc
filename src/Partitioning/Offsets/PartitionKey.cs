namespace Fairlane.Partitioning.Offsets;

/// <summary>A topic partition.</summary>
public readonly record struct PartitionKey(string Topic, int Partition)
{
    public override string ToString() => $"{Topic}/{Partition}";
}
