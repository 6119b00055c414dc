using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Fairlane.Producing;

/// <summary>
/// Loads the librdkafka build that runs on this machine before any Kafka client is created.
/// </summary>
/// <remarks>
/// The librdkafka.redist package ships three Linux x64 builds. The default <c>librdkafka.so</c>
/// links libsasl2, which a plain Debian host or a slim container does not have; the
/// <c>centos8-librdkafka.so</c> build links only glibc, and <c>alpine-librdkafka.so</c> serves musl.
/// Confluent.Kafka's own <c>Library.Load</c> cannot be used to pick one: on Linux it dlopens through
/// <c>libdl.so</c>, which glibc 2.34+ hosts only ship with the C headers, and it then binds its
/// P/Invokes by name anyway. So this registers a DllImport resolver on Confluent.Kafka's assembly
/// that maps <c>librdkafka</c> to the chosen file. The embedded development cluster maps its own
/// P/Invokes to the same <see cref="Path"/>, so one process loads one copy.
/// </remarks>
public static class KafkaNativeLibrary
{
    private static readonly Lock Gate = new();
    private static string? _path;

    /// <summary>The native library in use, loading it on first call.</summary>
    public static string Path
    {
        get
        {
            EnsureLoaded();
            return _path!;
        }
    }

    /// <summary>Loads librdkafka once per process; later calls return at once.</summary>
    public static void EnsureLoaded()
    {
        if (_path is not null) return;
        lock (Gate)
        {
            if (_path is not null) return;
            var path = Resolve();
            if (path is null)
            {
                throw new DllNotFoundException(
                    "librdkafka was not found next to the application (runtimes/<rid>/native). " +
                    "Restore and build the project so the librdkafka.redist package is copied to the output.");
            }
            NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) =>
                name.Contains("librdkafka", StringComparison.Ordinal) ? NativeLibrary.Load(path) : 0);
            _path = path;
        }
    }

    private static string? Resolve()
    {
        var native = System.IO.Path.Combine(AppContext.BaseDirectory, "runtimes");
        string[] candidates;
        if (OperatingSystem.IsLinux())
        {
            var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
            var dir = System.IO.Path.Combine(native, rid, "native");
            candidates = IsMusl()
                ? [System.IO.Path.Combine(dir, "alpine-librdkafka.so"), System.IO.Path.Combine(dir, "librdkafka.so")]
                : [System.IO.Path.Combine(dir, "centos8-librdkafka.so"), System.IO.Path.Combine(dir, "librdkafka.so")];
        }
        else if (OperatingSystem.IsMacOS())
        {
            var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "osx-arm64" : "osx-x64";
            candidates = [System.IO.Path.Combine(native, rid, "native", "librdkafka.dylib")];
        }
        else
        {
            candidates = [System.IO.Path.Combine(native, "win-x64", "native", "librdkafka.dll")];
        }
        return candidates.FirstOrDefault(File.Exists);
    }

    // musl has no /lib/ld-linux*; glibc always ships one of those loaders.
    private static bool IsMusl() =>
        Directory.Exists("/lib") && Directory.EnumerateFiles("/lib", "ld-musl-*").Any();
}
