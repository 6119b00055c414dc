namespace Fairlane.Tests.Architecture;

/// <summary>No namespace of a Fairlane assembly may depend, directly or through others, on itself.</summary>
public sealed class NamespaceCycleTests
{
    public static TheoryData<string> AllAssemblies => new(Assemblies.All);

    [Theory]
    [MemberData(nameof(AllAssemblies))]
    public void Namespaces_form_no_cycle(string assembly)
    {
        var graph = NamespaceGraph.Read(Assemblies.PathOf(assembly), "Fairlane.");
        var cycles = graph.Cycles();
        var described = cycles.Select(c => string.Join(", ", c) + "\n    " + string.Join("\n    ",
            from a in c from b in c where graph.UsesOf(a).Contains(b) select $"{a} -> {b} (e.g. {graph.ExampleOf(a, b)})"));
        Assert.True(cycles.Count == 0, $"{assembly} has namespace cycles:\n  " + string.Join("\n  ", described));
    }

    [Fact]
    public void The_cycle_finder_finds_a_cycle_through_three_namespaces()
    {
        // The graph of this very test assembly has none of its own, so check the finder on a known shape.
        var graph = NamespaceGraph.FromEdges(("A", "B"), ("B", "C"), ("C", "A"), ("C", "D"));
        var cycle = Assert.Single(graph.Cycles());
        Assert.Equal(["A", "B", "C"], cycle);
    }
}
