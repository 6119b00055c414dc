using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Fairlane.Tests.Deploy;

/// <summary>The Prometheus rule files of deploy/prometheus/rules, read as Prometheus reads them.</summary>
internal static class RuleFiles
{
    public sealed class File
    {
        public List<Group> Groups { get; set; } = [];
    }

    public sealed class Group
    {
        public string Name { get; set; } = "";
        public List<Rule> Rules { get; set; } = [];
    }

    public sealed class Rule
    {
        public string? Record { get; set; }
        public string? Alert { get; set; }
        public string Expr { get; set; } = "";
        public string? For { get; set; }
        public Dictionary<string, string> Labels { get; set; } = [];
        public Dictionary<string, string> Annotations { get; set; } = [];

        public override string ToString() => Record ?? Alert ?? Expr;
    }

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    public static IReadOnlyList<Rule> All { get; } = DeployFiles.RuleFiles
        .SelectMany(path => Yaml.Deserialize<File>(System.IO.File.ReadAllText(path)).Groups)
        .SelectMany(g => g.Rules)
        .ToList();

    public static IEnumerable<Rule> Alerts => All.Where(r => r.Alert is not null);

    public static IEnumerable<Rule> Recordings => All.Where(r => r.Record is not null);
}
