using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Fairlane.Worker.Migrations;

/// <summary>One versioned SQL script embedded in the binary (<c>Migrations/Sql/V###__name.sql</c>).</summary>
internal sealed partial record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script as shipped, so an edited, already-applied script is caught.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    public static IReadOnlyList<Migration> LoadEmbedded()
    {
        var assembly = typeof(Migration).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Migrations.", StringComparison.Ordinal)))
        {
            var match = FileName().Match(resource);
            if (!match.Success)
                throw new InvalidOperationException($"Embedded migration '{resource}' is not named V<version>__<name>.sql.");
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, Read(assembly, resource)));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}.");
        return migrations.OrderBy(m => m.Version).ToList();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^Migrations\.V(\d+)__(.+)\.sql$")]
    private static partial Regex FileName();
}
