using Fairlane.Partitioning.Offsets;

namespace Fairlane.Partitioning.Engine;

/// <summary>
/// Commits. Only contiguous completed offsets are offered for commit; an offer is made once per
/// change and made again after a failed commit. A successful commit restarts the partition's commit
/// age, which says how long its committed offset has stood still while records wait.
/// </summary>
public sealed partial class EngineCore<TEvent>
{
    /// <summary>Offsets of one topic's partitions that moved since the last call.</summary>
    public IReadOnlyList<(PartitionKey Partition, long Offset)> TakeCommits(string topic) =>
        _ledgers.TakeCommitChanges(p => p.Topic == topic);

    /// <summary>The commit of the partition failed: its offset is offered again.</summary>
    public void CommitFailed(PartitionKey partition) => _ledgers.ForgetCommitted(partition);

    /// <summary>A commit succeeded: the partitions' committed offsets are now these.</summary>
    public void Committed(IReadOnlyList<(PartitionKey Partition, long Offset)> commits)
    {
        var now = Now;
        foreach (var (partition, offset) in commits) _ledgers.Committed(partition, offset, now);
    }

    /// <summary>A partition's uncommitted window and how long its committed offset has stood still with records waiting.</summary>
    public (long Uncommitted, TimeSpan CommitAge) CommitState(PartitionKey partition) =>
        (_ledgers.Uncommitted(partition), _ledgers.CommitAge(partition, Now));
}
