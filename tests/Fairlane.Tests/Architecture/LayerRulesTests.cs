using NetArchTest.Rules;

namespace Fairlane.Tests.Architecture;

/// <summary>
/// The project and folder rules of docs/architecture.md: which assembly and which Worker stage may use
/// which. The namespace-cycle test covers everything else.
/// </summary>
public sealed class LayerRulesTests
{
    private const string W = "Fairlane.Worker.";

    // Everything in the Worker that is a stage or a service around the stages (not a leaf).
    private static readonly string[] Stages =
    [
        W + "Intake", W + "Engine", W + "Dispatch", W + "Pipeline", W + "DeadLetters", W + "Parking", W + "Outbox",
        W + "Guardian", W + "Retention", W + "Tenants", W + "Admin", W + "Health", W + "Bus", W + "Channels",
        W + "Migrations", W + "Hosting", W + "Cli",
    ];

    [Fact]
    public void Contracts_references_nothing_but_the_runtime()
    {
        var references = Assemblies.Load(Assemblies.Contracts).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.True(r.StartsWith("System", StringComparison.Ordinal) || r == "netstandard",
            $"Fairlane.Contracts references {r}: it must stay records, names and schemas"));
    }

    [Fact]
    public void Partitioning_is_pure_logic()
    {
        var references = Assemblies.Load(Assemblies.Partitioning).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.False(
            r.StartsWith("Fairlane", StringComparison.Ordinal) || r.StartsWith("Npgsql", StringComparison.Ordinal)
            || r.StartsWith("Confluent", StringComparison.Ordinal) || r.StartsWith("StackExchange", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal),
            $"Fairlane.Partitioning references {r}: the engine core does no I/O and knows no other project"));
    }

    [Fact]
    public void Agents_never_touch_Kafka()
    {
        var references = Assemblies.Load(Assemblies.Agents).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain("Confluent.Kafka", references);
        Assert.DoesNotContain(Assemblies.Producing, references);
    }

    public static TheoryData<string, string[]> WorkerRules => new()
    {
        // Leaves: used by the stages, using none of them.
        { W + "Observability", Stages },
        { W + "Configuration", Stages },
        { W + "Infrastructure", Stages },
        // The engine shell knows no stage: intake feeds it, dispatch and parking take from it.
        { W + "Engine", Stages.Where(s => s != W + "Engine").ToArray() },
        // The pipeline runs a taken run; it neither consumes nor schedules.
        { W + "Pipeline", [W + "Intake", W + "Dispatch", W + "Hosting", W + "Cli", W + "Admin"] },
        // Dead letters share only the pipeline's ledger (a told handler is marked in it).
        { W + "DeadLetters", [W + "Intake", W + "Dispatch", W + "Hosting", W + "Cli", W + "Admin"] },
        { W + "Parking", [W + "Intake", W + "Dispatch", W + "Pipeline", W + "Hosting", W + "Cli", W + "Admin"] },
        { W + "Intake", [W + "Dispatch", W + "Pipeline", W + "Hosting", W + "Cli", W + "Admin"] },
        { W + "Dispatch", [W + "Intake", W + "Hosting", W + "Cli", W + "Admin"] },
        // Hosting only composes; only the CLI's run verb builds the host.
        { W + "Hosting", [W + "Cli"] },
    };

    [Theory]
    [MemberData(nameof(WorkerRules))]
    public void Worker_namespace_uses_none_of(string ns, string[] forbidden)
    {
        var result = Types.InAssembly(Assemblies.Load(Assemblies.Worker))
            .That().ResideInNamespace(ns)
            .ShouldNot().HaveDependencyOnAny(forbidden.Where(f => f != ns).ToArray())
            .GetResult();
        Assert.True(result.IsSuccessful,
            $"{ns} must not use {string.Join(", ", forbidden)}; offending types: "
            + string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? []));
    }

    [Fact]
    public void Nothing_outside_the_cli_builds_the_host()
    {
        var result = Types.InAssembly(Assemblies.Load(Assemblies.Worker))
            .That().DoNotResideInNamespace(W + "Hosting").And().DoNotResideInNamespace(W + "Cli")
            .ShouldNot().HaveDependencyOnAny(W + "Hosting")
            .GetResult();
        Assert.True(result.IsSuccessful, "Only the CLI may use Hosting: " + string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? []));
    }
}
