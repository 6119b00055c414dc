using System.Globalization;
using System.Text;
using Fairlane.Agents.Channels;

namespace Fairlane.Agents.Catalog;

/// <summary>
/// Reads the CSV form of a bulk import (README "Catalogue file format"): one record per line, its kind first —
/// <c>product,ID,SKU,NAME,STOCK,BUFFER_STOCK,LOW_STOCK_THRESHOLD</c>, <c>channel,ID,TYPE,NAME,BASE_URL,API_KEY,SECRET</c>,
/// <c>mapping,CHANNEL_ID,EXTERNAL_ID,PRODUCT_ID</c>. Fields may be quoted as in RFC 4180; blank lines and lines
/// starting with '#' are skipped. An empty STOCK keeps the stored stock; empty API_KEY and SECRET keep the stored credentials.
/// </summary>
internal static class CatalogCsvReader
{
    private static readonly Dictionary<string, int> Widths = new(StringComparer.Ordinal) { ["product"] = 7, ["channel"] = 7, ["mapping"] = 4 };

    public static CatalogImport Read(string text)
    {
        var products = new List<ProductDefinition>();
        var channels = new List<ChannelDefinition>();
        var mappings = new List<CatalogMapping>();
        foreach (var (line, fields) in Records(text))
        {
            var kind = fields[0].Trim();
            if (!Widths.TryGetValue(kind, out var width))
                throw CatalogErrors.Invalid($"line {line} kind", $"must be product, channel or mapping; got '{kind}'.");
            if (fields.Count != width)
                throw CatalogErrors.Invalid($"line {line}", $"a {kind} record has {width} fields (see the catalogue file format); got {fields.Count}.");
            var prefix = $"line {line} ";
            switch (kind)
            {
                case "product":
                    products.Add(new ProductDefinition(fields[1], fields[2], fields[3], Int(prefix + "stock", fields[4]),
                        Int(prefix + "bufferStock", fields[5]) ?? 0, Int(prefix + "lowStockThreshold", fields[6])));
                    CatalogRules.Check(prefix, products[^1]); // checked here so the error names the line
                    break;
                case "channel":
                    var keep = fields[5].Length == 0 && fields[6].Length == 0;
                    channels.Add(new ChannelDefinition(fields[1], fields[2], fields[3], fields[4],
                        keep ? CredentialsChange.Keep : CredentialsChange.Set,
                        keep ? null : new ChannelCredentials(fields[5].Length == 0 ? null : fields[5], fields[6])));
                    CatalogRules.Check(prefix, channels[^1]);
                    break;
                default:
                    mappings.Add(new CatalogMapping(fields[1], fields[2], fields[3]));
                    CatalogRules.Check(prefix, mappings[^1]);
                    break;
            }
        }
        return new CatalogImport(products, channels, mappings);
    }

    private static int? Int(string field, string value)
    {
        if (value.Trim().Length == 0) return null;
        return int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw CatalogErrors.Invalid(field, $"must be a whole number; got '{value}'.");
    }

    /// <summary>Each record with the line it starts on (a quoted field may span lines).</summary>
    private static IEnumerable<(int Line, List<string> Fields)> Records(string text)
    {
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var start = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var wasQuoted = false;
            for (; i < text.Length; i++)
            {
                var ch = text[i];
                if (quoted)
                {
                    if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else if (ch == '"') quoted = false;
                    else { if (ch == '\n') line++; field.Append(ch); }
                }
                else if (ch == '"' && field.Length == 0) { quoted = true; wasQuoted = true; }
                else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
                else if (ch == '\n') { i++; line++; break; }
                else if (ch != '\r') field.Append(ch);
            }
            if (quoted) throw CatalogErrors.Invalid($"line {start}", "has a quoted field that is never closed.");
            fields.Add(field.ToString());
            var blank = fields.Count == 1 && fields[0].Trim().Length == 0 && !wasQuoted;
            if (blank || fields[0].TrimStart().StartsWith('#')) continue;
            yield return (start, fields);
        }
    }
}
