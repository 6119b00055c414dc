using System.Globalization;

namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// One list of worker settings (configuration key → value, e.g. <c>Kafka:BootstrapServers</c>), written once
/// and rendered either as <c>--Key=value</c> arguments for a host in the test process or as
/// <c>FAIRLANE__SECTION__KEY</c> environment variables for a separate process, as systemd and containers set them.
/// </summary>
internal sealed class WorkerSettings
{
    // Insertion order is kept so that a later value for the same key replaces an earlier one in place.
    private readonly List<KeyValuePair<string, string>> _entries = [];

    public WorkerSettings() { }

    public WorkerSettings(WorkerSettings other) => _entries.AddRange(other._entries);

    public IReadOnlyList<KeyValuePair<string, string>> Entries => _entries;

    public string? this[string key] => _entries.FirstOrDefault(e => Same(e.Key, key)).Value;

    /// <summary>Sets (or replaces) one setting.</summary>
    public WorkerSettings Set(string key, object value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        var at = _entries.FindIndex(e => Same(e.Key, key));
        if (at >= 0) _entries[at] = new(key, text);
        else _entries.Add(new(key, text));
        return this;
    }

    /// <summary>Removes a setting and, for a list or section, every key under it (<c>Redis:Endpoints</c> drops <c>Redis:Endpoints:0</c>).</summary>
    public WorkerSettings Remove(string key)
    {
        _entries.RemoveAll(e => Same(e.Key, key) || e.Key.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase));
        return this;
    }

    /// <summary>Replaces a list setting (e.g. <c>Redis:Endpoints</c>) with the given items.</summary>
    public WorkerSettings SetList(string key, IEnumerable<string> items)
    {
        Remove(key);
        var i = 0;
        foreach (var item in items) Set($"{key}:{i++}", item);
        return this;
    }

    /// <summary>Applies every setting of <paramref name="other"/> over these.</summary>
    public WorkerSettings Apply(WorkerSettings other)
    {
        foreach (var (key, value) in other._entries) Set(key, value);
        return this;
    }

    public string[] ToArguments() => _entries.Select(e => $"--{e.Key}={e.Value}").ToArray();

    public Dictionary<string, string> ToEnvironment() =>
        _entries.ToDictionary(e => EnvironmentVariable(e.Key), e => e.Value);

    /// <summary>The variable .NET's environment configuration provider maps to <paramref name="key"/>.</summary>
    public static string EnvironmentVariable(string key) =>
        "FAIRLANE__" + key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
