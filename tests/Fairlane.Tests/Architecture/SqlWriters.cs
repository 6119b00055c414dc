using System.Text.RegularExpressions;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Fairlane.Tests.Architecture;

/// <summary>
/// Which namespaces write which tables, read from the SQL text in an assembly's IL (string literals
/// that insert into, update or delete from a table).
/// </summary>
internal static partial class SqlWriters
{
    public static IReadOnlyList<(string Table, string Namespace, string Type)> Read(string assemblyPath)
    {
        var writes = new List<(string, string, string)>();
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        foreach (var type in module.GetTypes())
        {
            var outer = type;
            while (outer.DeclaringType is not null) outer = outer.DeclaringType;
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                foreach (var text in method.Body.Instructions.Where(i => i.OpCode == OpCodes.Ldstr).Select(i => (string)i.Operand))
                {
                    foreach (Match m in WriteStatement().Matches(text))
                        writes.Add((m.Groups["table"].Value.ToLowerInvariant(), outer.Namespace, outer.FullName));
                }
            }
        }
        return writes.Distinct().ToList();
    }

    [GeneratedRegex(@"(?<!\b(?:DO|FOR)\s+)\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?<table>[a-z_]+)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WriteStatement();
}
