namespace Fairlane.Agents.Sync;

/// <summary>How a stock change the Watcher applied reaches Sync (the Agents:SyncHandoff setting).</summary>
public enum SyncHandoff
{
    /// <summary>
    /// The Watcher marks the product pending in its own transaction: no outbox row, no relay, no
    /// sync.requested event to consume, so a webhook costs one transaction instead of two. Any node
    /// running Sync pushes it (its own at once, others at their next poll).
    /// </summary>
    Direct,

    /// <summary>
    /// The Watcher emits sync.requested through the outbox and Sync folds it on consumption: for a fleet
    /// whose Sync nodes must see every request on the topic (auditing, an outside consumer).
    /// </summary>
    Topic,
}
