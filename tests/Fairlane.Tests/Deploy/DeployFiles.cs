using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Deploy;

/// <summary>Where the deployment files are in the repository.</summary>
internal static class DeployFiles
{
    public static string Root { get; } = WorkerProcess.RepositoryRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Systemd(string name) => Path("deploy", "systemd", name);
    public static string Docker(string name) => Path("deploy", "docker", name);
    public static string Prometheus(params string[] parts) => Path(["deploy", "prometheus", .. parts]);
    public static string Grafana(params string[] parts) => Path(["deploy", "grafana", .. parts]);

    public static IReadOnlyList<string> RuleFiles { get; } =
        Directory.GetFiles(Prometheus("rules"), "*.yml").Order(StringComparer.Ordinal).ToArray();

    public static string Read(string path) => File.ReadAllText(path);

    /// <summary>A directory of its own under the system temp directory, removed on dispose.</summary>
    public static TempDirectory TempDirectory(string prefix) => new(prefix);
}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix)
    {
        // Short: a Unix socket path in it must stay under 108 bytes.
        FullName = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(FullName);
    }

    public string FullName { get; }

    public string Path(params string[] parts) => System.IO.Path.Combine([FullName, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(FullName, recursive: true);
        }
        catch (IOException)
        {
            // A process we started may still be closing a file; the temp directory is cleaned eventually.
        }
    }
}
