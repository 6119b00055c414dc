namespace Fairlane.Tests.Contracts;

/// <summary>
/// The schemas under src/Contracts/schemas are what the contract types generate. When this fails,
/// the types changed: regenerate the files and review their diff as part of the change, with
/// <c>FAIRLANE_UPDATE_SCHEMAS=1 dotnet test tests/Fairlane.Tests --filter "FullyQualifiedName~SchemaDriftTests"</c>.
/// </summary>
public sealed class SchemaDriftTests
{
    private const string Regenerate =
        "regenerate with FAIRLANE_UPDATE_SCHEMAS=1 dotnet test tests/Fairlane.Tests --filter \"FullyQualifiedName~SchemaDriftTests\" and review the diff";

    [Fact]
    public void The_checked_in_schemas_are_what_the_contract_types_generate()
    {
        var generated = SchemaGenerator.Generate();
        if (Environment.GetEnvironmentVariable("FAIRLANE_UPDATE_SCHEMAS") == "1") SchemaGenerator.WriteAll(generated);

        var checkedIn = Directory.Exists(SchemaGenerator.Directory)
            ? Directory.GetFiles(SchemaGenerator.Directory, "*.schema.json").ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal)
            : [];
        Assert.True(generated.Keys.SequenceEqual(checkedIn.Keys.Order(StringComparer.Ordinal)),
            $"schema files: generated [{string.Join(", ", generated.Keys)}], checked in [{string.Join(", ", checkedIn.Keys.Order(StringComparer.Ordinal))}]; {Regenerate}");
        foreach (var (name, text) in generated)
            Assert.True(text == checkedIn[name], $"src/Contracts/schemas/{name} differs from what the types generate; {Regenerate}");
    }
}
