using System.Diagnostics;

namespace Fairlane.LoadTest.Stack;

/// <summary>
/// The built `fairlane` executable as a child process, configured only through FAIRLANE__
/// environment variables (as systemd and containers configure it). Its output goes to a log file
/// in the results folder, so a failing worker can be read afterwards.
/// </summary>
internal sealed class FairlaneProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter? _log;

    private FairlaneProcess(Process process, StreamWriter? log)
    {
        _process = process;
        _log = log;
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public static FairlaneProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? logPath)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Repository.FairlaneDll());
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // Only what the run sets: no developer settings leak in from the operator's shell.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("FAIRLANE__", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["MALLOC_ARENA_MAX"] = "2"; // as deploy/systemd and deploy/docker run the daemon
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var log = logPath is null ? null : new StreamWriter(logPath) { AutoFlush = true };
        return new FairlaneProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"), log);
    }

    /// <summary>Runs a command (e.g. migrate) to completion; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment,
        TimeSpan deadline, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Repository.FairlaneDll());
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>SIGTERM, as systemd stops it, then a kill if it has not left within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGKILL: the process gets no chance to run shutdown code.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.WaitForExit(); // drains the asynchronous output readers before the log closes
        _process.Dispose();
        if (_log is not null) await _log.DisposeAsync();
    }

    private void Write(string? line)
    {
        if (line is null || _log is null) return;
        lock (_log) _log.WriteLine(line);
    }
}
