namespace Fairlane.LoadTest.Stack;

/// <summary>Where the checkout is, and the `fairlane` build the harness starts its workers from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// src/Worker's output in the harness's own configuration (the project reference builds it),
    /// else whichever configuration was built.
    /// </summary>
    public static string FairlaneDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release"; // bin/<Configuration>/net10.0/
        foreach (var candidate in new[] { configuration, "Release", "Debug" }.Distinct())
        {
            var dll = Path.Combine(Root, "src", "Worker", "bin", candidate, "net10.0", "fairlane.dll");
            if (File.Exists(dll)) return dll;
        }
        throw new FileNotFoundException(
            $"No fairlane.dll under {Path.Combine(Root, "src", "Worker", "bin")}. Build it: dotnet build src/Worker -c Release");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fairlane.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"Fairlane.sln not found above {AppContext.BaseDirectory}: run the harness from the checkout.");
    }
}
