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
    public string Webhooks => $"{Prefix}.webhooks";

    /// <summary>Sync requests, consumed by Sync.</summary>
    public string Sync => $"{Prefix}.sync";

    /// <summary>Per-tenant reconcile jobs fanned out by the Guardian leader.</summary>
    public string Guardian => $"{Prefix}.guardian";

    /// <summary>Alert checks, consumed by Alert.</summary>
    public string Alerts => $"{Prefix}.alerts";

    /// <summary>Tenant lifecycle commands (compacted), consumed by every node.</summary>
    public string Control => $"{Prefix}.control";

    /// <summary>Dead letters: the original bytes with the reason in headers.</summary>
    public string DeadLetters => $"{Prefix}.dlq";

    /// <summary>A topic by its name without the prefix (webhooks, sync, guardian, alerts, control, dlq).</summary>
    public string Named(string suffix) => $"{Prefix}.{suffix}";

    /// <summary>All six topics.</summary>
    public IReadOnlyList<string> All => [Webhooks, Sync, Guardian, Alerts, Control, DeadLetters];
}
