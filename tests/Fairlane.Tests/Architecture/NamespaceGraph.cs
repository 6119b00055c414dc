using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Fairlane.Tests.Architecture;

/// <summary>
/// Which namespaces of an assembly use which others, read from its IL: signatures, base types, attributes,
/// and every type, method and field a method body names. Compiler-generated nested types (lambdas, async
/// state machines) count for the namespace of the type that declares them.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, HashSet<string>> _edges = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), string> _examples = [];

    private NamespaceGraph(string prefix) => Prefix = prefix;

    /// <summary>Only namespaces under this prefix are nodes.</summary>
    public string Prefix { get; }

    public IReadOnlyCollection<string> Namespaces => _edges.Keys;

    public IReadOnlySet<string> UsesOf(string ns) => _edges.TryGetValue(ns, out var to) ? to : new HashSet<string>();

    /// <summary>One type in <paramref name="from"/> that uses <paramref name="to"/>, to name in a failure.</summary>
    public string ExampleOf(string from, string to) => _examples.GetValueOrDefault((from, to), "?");

    /// <summary>A graph given by its edges, to check the cycle finder itself.</summary>
    public static NamespaceGraph FromEdges(params (string From, string To)[] edges)
    {
        var graph = new NamespaceGraph("");
        foreach (var (from, to) in edges)
        {
            graph._edges.TryAdd(to, new HashSet<string>(StringComparer.Ordinal));
            graph._edges.TryAdd(from, new HashSet<string>(StringComparer.Ordinal));
            graph._edges[from].Add(to);
        }
        return graph;
    }

    public static NamespaceGraph Read(string assemblyPath, string prefix)
    {
        var graph = new NamespaceGraph(prefix);
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        foreach (var type in module.GetTypes())
        {
            var from = NamespaceOf(type);
            if (!from.StartsWith(prefix, StringComparison.Ordinal)) continue;
            graph._edges.TryAdd(from, new HashSet<string>(StringComparer.Ordinal));
            foreach (var used in UsedTypes(type)) graph.Add(from, used, type.FullName);
        }
        return graph;
    }

    private void Add(string from, TypeReference? used, string example)
    {
        if (used is null) return;
        var to = NamespaceOf(used);
        if (to == from || !to.StartsWith(Prefix, StringComparison.Ordinal)) return;
        if (_edges[from].Add(to)) _examples[(from, to)] = example;
    }

    // Nested types carry no namespace of their own in metadata: use their outermost declaring type's.
    private static string NamespaceOf(TypeReference type)
    {
        while (type is TypeSpecification spec) type = spec.ElementType;
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type.Namespace;
    }

    private static IEnumerable<TypeReference?> UsedTypes(TypeDefinition type)
    {
        yield return type.BaseType;
        foreach (var i in type.Interfaces) yield return i.InterfaceType;
        foreach (var a in type.CustomAttributes) yield return a.AttributeType;
        foreach (var f in type.Fields) foreach (var t in Expand(f.FieldType)) yield return t;
        foreach (var p in type.Properties) foreach (var t in Expand(p.PropertyType)) yield return t;
        foreach (var m in type.Methods)
        {
            foreach (var t in Expand(m.ReturnType)) yield return t;
            foreach (var p in m.Parameters) foreach (var t in Expand(p.ParameterType)) yield return t;
            foreach (var a in m.CustomAttributes) yield return a.AttributeType;
            if (!m.HasBody) continue;
            foreach (var v in m.Body.Variables) foreach (var t in Expand(v.VariableType)) yield return t;
            foreach (var instruction in m.Body.Instructions)
                foreach (var t in OperandTypes(instruction)) yield return t;
        }
    }

    private static IEnumerable<TypeReference?> OperandTypes(Instruction instruction) => instruction.Operand switch
    {
        TypeReference t => Expand(t),
        MethodReference m => Expand(m.DeclaringType).Concat(Expand(m.ReturnType))
            .Concat(m is GenericInstanceMethod g ? g.GenericArguments.SelectMany(Expand) : []),
        FieldReference f => Expand(f.DeclaringType).Concat(Expand(f.FieldType)),
        _ => [],
    };

    // A generic instance uses its definition and every type argument.
    private static IEnumerable<TypeReference?> Expand(TypeReference? type)
    {
        if (type is null) yield break;
        if (type is GenericInstanceType generic)
        {
            yield return generic.ElementType;
            foreach (var arg in generic.GenericArguments) foreach (var t in Expand(arg)) yield return t;
            yield break;
        }
        if (type is TypeSpecification spec)
        {
            foreach (var t in Expand(spec.ElementType)) yield return t;
            yield break;
        }
        yield return type;
    }

    /// <summary>The strongly connected groups of two or more namespaces: each is a dependency cycle.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in UsesOf(v))
            {
                if (!index.TryGetValue(w, out var indexOfW))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], indexOfW);
                }
            }
            if (low[v] != index[v]) return;
            var group = new List<string>();
            string popped;
            do
            {
                popped = stack.Pop();
                onStack.Remove(popped);
                group.Add(popped);
            } while (popped != v);
            if (group.Count > 1) cycles.Add(group.Order(StringComparer.Ordinal).ToList());
        }

        foreach (var v in _edges.Keys.Order(StringComparer.Ordinal))
            if (!index.ContainsKey(v)) Visit(v);
        return cycles;
    }
}
