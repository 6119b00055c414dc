namespace Fairlane.Tests.Deploy;

/// <summary>A systemd unit file's settings, in order (a key may repeat, e.g. EnvironmentFile=).</summary>
internal sealed class UnitFile
{
    private readonly List<(string Section, string Key, string Value)> _settings = [];

    public static UnitFile Load(string path)
    {
        var unit = new UnitFile();
        var section = "";
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[')
            {
                section = line.Trim('[', ']');
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            unit._settings.Add((section, line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }
        return unit;
    }

    /// <summary>Every value of a key, in order.</summary>
    public IReadOnlyList<string> All(string section, string key) =>
        _settings.Where(s => s.Section == section && s.Key == key).Select(s => s.Value).ToList();

    /// <summary>The effective value of a single-valued key (the last one), or null when it is not set.</summary>
    public string? Get(string section, string key) => All(section, key) is { Count: > 0 } values ? values[^1] : null;

    public bool Has(string section, string key) => All(section, key).Count > 0;
}
