using System.Text.RegularExpressions;

namespace Fairlane.Tests.Deploy;

/// <summary>
/// The series names and label selectors a PromQL expression uses. A small lexer, not a parser: it
/// drops strings, Grafana variables, ranges and grouping clauses, then every identifier not followed
/// by "(" (a function) and not a keyword is a series name.
/// </summary>
internal static partial class PromQlNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan",
    };

    public static IReadOnlyList<string> SeriesIn(string expr)
    {
        var s = GrafanaVariable().Replace(expr, "0");
        s = StringLiteral().Replace(s, "\"\"");
        s = Braces().Replace(s, "{}");
        s = Brackets().Replace(s, "[]");
        s = Grouping().Replace(s, " ");
        return Identifier().Matches(s).Select(m => m.Value).Where(n => !Keywords.Contains(n)).Distinct().ToList();
    }

    /// <summary>Each selector with label matchers: the series name and the label names it matches on.</summary>
    public static IEnumerable<(string Series, IReadOnlyList<string> Labels)> SelectorsIn(string expr) =>
        Selector().Matches(expr).Select(m => (m.Groups[1].Value,
            (IReadOnlyList<string>)Matcher().Matches(m.Groups[2].Value).Select(l => l.Groups[1].Value).ToList()));

    [GeneratedRegex(@"\$\{[^}]*\}|\$\w+")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w:.])[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\()(?![\w:])")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)")]
    private static partial Regex Matcher();
}
