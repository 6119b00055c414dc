namespace Fairlane.Contracts;

/// <summary>
/// What a topic is for. Code names a topic by its role; <see cref="Topics.For"/> turns the role into
/// the configured topic name, so no topic name is written anywhere else.
/// </summary>
public enum TopicRole
{
    /// <summary>Channel webhook events, consumed by Watcher.</summary>
    Webhooks,

    /// <summary>Sync requests, consumed by Sync.</summary>
    Sync,

    /// <summary>Per-tenant reconcile jobs fanned out by the Guardian leader.</summary>
    Guardian,

    /// <summary>Alert checks, consumed by Alert.</summary>
    Alerts,

    /// <summary>Tenant lifecycle commands (compacted), consumed by every node.</summary>
    Control,

    /// <summary>Dead letters: the original bytes with the reason in headers.</summary>
    DeadLetters,
}
