using System.Collections.Concurrent;
using System.Diagnostics;

namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// The real `fairlane` executable as a child process, configured only through environment variables
/// (as systemd and containers configure it). Output is captured for assertions and failure messages.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private bool _disposed;

    private WorkerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string StandardOutput => string.Join('\n', _stdout);
    public string StandardError => string.Join('\n', _stderr);
    public bool HasExited => _process.HasExited;
    public int Id => _process.Id;

    public static WorkerProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(FairlaneDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // Start from a clean slate: no developer settings leak in from the test runner's environment.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("FAIRLANE__", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in environment) info.Environment[k] = v;
        return new WorkerProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Runs a command to completion and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToEndAsync(
        IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan deadline)
    {
        await using var process = Start(args, environment);
        var code = await process.WaitForExitAsync(deadline);
        return (code, process.StandardOutput, process.StandardError);
    }

    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"fairlane did not exit within {deadline.TotalSeconds:0} s.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }
        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as systemd and docker stop do.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: a crash, with no chance to commit or leave the group.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    // Idempotent: a test may dispose a node it started and its stack disposes it again.
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    internal static string FairlaneDll { get; } = LocateFairlaneDll();

    // The Worker's own build output, built by the same configuration as this test assembly.
    private static string LocateFairlaneDll()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "fairlane.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "fairlane.runtimeconfig.json"))) return local;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var root = RepositoryRoot();
        var dll = Path.Combine(root, "src", "Worker", "bin", configuration, "net10.0", "fairlane.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build src/Worker first: {dll} is missing.");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fairlane.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("Fairlane.sln not found above the test assembly.");
    }
}
