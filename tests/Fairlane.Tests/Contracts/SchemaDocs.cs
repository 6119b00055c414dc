using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Fairlane.Tests.Contracts;

/// <summary>
/// The documentation comments of the contract types, read from the XML file the build writes next
/// to Fairlane.Contracts.dll, flattened to plain sentences for the schemas' descriptions.
/// </summary>
internal static partial class SchemaDocs
{
    private static readonly Lazy<Dictionary<string, string>> Summaries = new(Load);

    /// <summary>The summary of a member by its documentation id (<c>T:Ns.Type</c>, <c>P:Ns.Type.Property</c>), or null.</summary>
    public static string? Summary(string memberId) => Summaries.Value.GetValueOrDefault(memberId);

    private static Dictionary<string, string> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fairlane.Contracts.xml");
        if (!File.Exists(path)) throw new FileNotFoundException($"The contract docs are missing: {path} (the build writes it with the assembly).");
        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Flatten(m.Element("summary")!), StringComparer.Ordinal);
    }

    // <see cref="T:Ns.Type"/> reads as "Type", <c>x</c> and <paramref name="x"/> as "x"; whitespace collapses.
    private static string Flatten(XElement summary)
    {
        var text = string.Concat(summary.Nodes().Select(n => n switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" or "seealso" } e => ((string?)e.Attribute("cref"))?.Split('.', ':')[^1] ?? (string?)e.Attribute("langword") ?? e.Value,
            XElement { Name.LocalName: "paramref" or "typeparamref" } e => (string?)e.Attribute("name") ?? "",
            XElement e => e.Value,
            _ => "",
        }));
        return Whitespace().Replace(text, " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
