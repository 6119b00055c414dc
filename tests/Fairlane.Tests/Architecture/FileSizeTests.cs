using Fairlane.Tests.Deploy;

namespace Fairlane.Tests.Architecture;

/// <summary>Small files with one job: a source file past this length has more than one and is split.</summary>
public sealed class FileSizeTests
{
    private const int MaxLines = 250;

    [Fact]
    public void No_source_file_is_longer_than_the_limit()
    {
        var src = Path.Combine(DeployFiles.Root, "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        var tooLong = files.Select(f => (File: Path.GetRelativePath(src, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLines).Select(f => $"{f.File}: {f.Lines} lines").ToList();
        Assert.True(tooLong.Count == 0, $"Source files over {MaxLines} lines:\n" + string.Join("\n", tooLong));
    }
}
