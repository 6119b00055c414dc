namespace Fairlane.Contracts;

/// <summary>
/// The Fairlane topic names. Every topic is keyed by tenant id. A prefix other than
/// <see cref="DefaultPrefix"/> lets several environments (or test runs) share one cluster.
/// </summary>
public sealed record Topics(string Prefix = Topics.DefaultPrefix)
{
    /// <summary>The prefix used when none is configured.</summary>
    public const string DefaultPrefix = "fairlane";

    /// <summary>Default partition count of every topic (DESIGN §2).</summary>
    public const int DefaultPartitions = 24;

    /// <summary>Channel webhook events, consumed by Watcher.</summary>
    public string Webhooks => For(TopicRole.Webhooks);

    /// <summary>Sync requests, consumed by Sync.</summary>
    public string Sync => For(TopicRole.Sync);

    /// <summary>Per-tenant reconcile jobs fanned out by the Guardian leader.</summary>
    public string Guardian => For(TopicRole.Guardian);

    /// <summary>Alert checks, consumed by Alert.</summary>
    public string Alerts => For(TopicRole.Alerts);

    /// <summary>Tenant lifecycle commands (compacted), consumed by every node.</summary>
    public string Control => For(TopicRole.Control);

    /// <summary>Dead letters: the original bytes with the reason in headers.</summary>
    public string DeadLetters => For(TopicRole.DeadLetters);

    /// <summary>The configured name of the topic that plays <paramref name="role"/>.</summary>
    public string For(TopicRole role) => $"{Prefix}.{Suffix(role)}";

    /// <summary>A topic's name without the prefix (webhooks, sync, guardian, alerts, control, dlq).</summary>
    public static string Suffix(TopicRole role) => role switch
    {
        TopicRole.Webhooks => "webhooks",
        TopicRole.Sync => "sync",
        TopicRole.Guardian => "guardian",
        TopicRole.Alerts => "alerts",
        TopicRole.Control => "control",
        TopicRole.DeadLetters => "dlq",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a Fairlane topic role."),
    };

    /// <summary>All six topics.</summary>
    public IReadOnlyList<string> All => [Webhooks, Sync, Guardian, Alerts, Control, DeadLetters];
}
