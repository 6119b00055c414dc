namespace Fairlane.Worker.Configuration;

/// <summary>What this node is and which agents it runs.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>This node's name in logs, metrics and leadership records.</summary>
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>
    /// The agents this node runs: empty or "all" for every agent, or a list of watcher, sync, guardian,
    /// alert. (No default elements: the configuration binder appends to a list's initial contents,
    /// so a default of "all" could never be narrowed.)
    /// </summary>
    public List<string> Agents { get; set; } = [];

    /// <summary>How long shutdown waits for in-flight work before giving up.</summary>
    public int ShutdownGraceMs { get; set; } = 10_000;

    public static readonly string[] KnownAgents = ["watcher", "sync", "guardian", "alert"];

    public bool Runs(string agent) =>
        Agents.Count == 0 || Agents.Contains("all", StringComparer.OrdinalIgnoreCase) || Agents.Contains(agent, StringComparer.OrdinalIgnoreCase);
}
