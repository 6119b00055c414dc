namespace Fairlane.Tests.Architecture;

public sealed class TableOwnershipTests
{
    [Fact]
    public void Print()
    {
        var all = new[] { "Fairlane.Agents", "fairlane" }
            .SelectMany(a => SqlWriters.Read(Path.Combine(AppContext.BaseDirectory, a + ".dll")))
            .GroupBy(w => w.Table).OrderBy(g => g.Key)
            .Select(g => g.Key + ": " + string.Join(", ", g.Select(w => w.Type).Distinct()));
        Assert.Fail(string.Join("\n", all));
    }
}
