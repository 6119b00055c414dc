using System.Text.RegularExpressions;

namespace Fairlane.Tests.Deploy;

/// <summary>
/// The series names a query may use: the daemon's metrics as declared in FairlaneMetrics.cs (read
/// from the source, so renaming a metric there breaks every dashboard and rule test that still uses
/// the old name), the recording rules' names, and the standard series every target has.
/// </summary>
internal static partial class MetricCatalog
{
    /// <summary>Declared fairlane_ metrics and their label names.</summary>
    public static IReadOnlyDictionary<string, (string Kind, IReadOnlyList<string> Labels)> Declared { get; } = ReadDeclared();

    /// <summary>Every exported series name: histograms export _bucket, _sum and _count, not their own name.</summary>
    public static IReadOnlySet<string> Exported { get; } = Declared
        .SelectMany(d => d.Value.Kind == "Histogram" ? [d.Key + "_bucket", d.Key + "_sum", d.Key + "_count"] : new[] { d.Key })
        .ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> Recorded { get; } = RuleFiles.Recordings.Select(r => r.Record!).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether a query may use <paramref name="name"/>: it is exported, recorded, or standard.</summary>
    public static bool Knows(string name) =>
        Exported.Contains(name) || Recorded.Contains(name) || name == "up"
        || name.StartsWith("process_", StringComparison.Ordinal) || name.StartsWith("dotnet_", StringComparison.Ordinal);

    /// <summary>The labels a selector on <paramref name="series"/> may match: its own, plus the target's.</summary>
    public static IReadOnlySet<string>? LabelsOf(string series)
    {
        var name = Declared.ContainsKey(series) ? series : HistogramSuffix().Replace(series, "");
        if (!Declared.TryGetValue(name, out var declared)) return null;
        var labels = new HashSet<string>(declared.Labels, StringComparer.Ordinal) { "job", "instance" };
        if (series.EndsWith("_bucket", StringComparison.Ordinal)) labels.Add("le");
        return labels;
    }

    private static Dictionary<string, (string, IReadOnlyList<string>)> ReadDeclared()
    {
        var source = File.ReadAllText(DeployFiles.Path("src", "Worker", "Observability", "FairlaneMetrics.cs"));
        var declared = new Dictionary<string, (string, IReadOnlyList<string>)>(StringComparer.Ordinal);
        foreach (Match m in Declaration().Matches(source))
        {
            var literals = StringLiteral().Matches(m.Groups["args"].Value).Select(l => l.Groups[1].Value).ToList();
            // Counter and gauge: name, help, labels... Histogram: name, help, then LabelNames = [...].
            var labels = m.Groups["kind"].Value == "Histogram"
                ? LabelNames().Match(m.Groups["args"].Value) is { Success: true } ln
                    ? StringLiteral().Matches(ln.Value).Select(l => l.Groups[1].Value).ToList()
                    : []
                : literals.Skip(2).ToList();
            declared.Add(literals[0], (m.Groups["kind"].Value, labels));
        }
        // Every "fairlane_..." literal must have been understood as a declaration.
        Assert.Equal(FairlaneLiteral().Count(source), declared.Count);
        return declared;
    }

    [GeneratedRegex(@"Metrics\.Create(?<kind>Counter|Gauge|Histogram|Summary)\((?<args>.*?)\);", RegexOptions.Singleline)]
    private static partial Regex Declaration();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"LabelNames\s*=\s*\[[^\]]*\]")]
    private static partial Regex LabelNames();

    [GeneratedRegex("\"fairlane_[a-z0-9_]+\"")]
    private static partial Regex FairlaneLiteral();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
