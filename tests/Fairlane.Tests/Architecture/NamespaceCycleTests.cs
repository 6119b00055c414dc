namespace Fairlane.Tests.Architecture;

/// <summary>No namespace of a Fairlane assembly may depend, directly or through others, on itself.</summary>
public sealed class NamespaceCycleTests
{
    public static TheoryData<string> Assemblies => new()
    {
        "Fairlane.Contracts", "Fairlane.Partitioning", "Fairlane.Producing", "Fairlane.Agents", "fairlane",
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Namespaces_form_no_cycle(string assembly)
    {
        var graph = NamespaceGraph.Read(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"), "Fairlane.");
        var cycles = graph.Cycles();
        var described = cycles.Select(c => string.Join(", ", c) + "\n    " + string.Join("\n    ",
            from a in c from b in c where graph.UsesOf(a).Contains(b) select $"{a} -> {b} (e.g. {graph.ExampleOf(a, b)})"));
        Assert.True(cycles.Count == 0, $"{assembly} has namespace cycles:\n  " + string.Join("\n  ", described));
    }
}
