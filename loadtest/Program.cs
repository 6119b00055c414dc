using System.CommandLine;
using System.Runtime.InteropServices;
using Fairlane.LoadTest;
using Fairlane.LoadTest.Cli;

// fairlane-loadtest: drives a real Fairlane fleet and a baseline consumer, and measures both from
// the events themselves (see README "Load test" and docs/benchmarks.md).

// The first Ctrl-C or SIGTERM cancels the run, which then stops its workers and drops its databases;
// a second one ends the process at once. (System.CommandLine's own handler is off: it ends the
// process after a timeout, which would leave the run's databases and workers behind.)
using var interrupted = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (interrupted.IsCancellationRequested) return;
    context.Cancel = true;
    Console.Error.WriteLine("fairlane-loadtest: stopping (again to abort without cleaning up)");
    interrupted.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

var root = LoadTestCommandLine.Build(async (request, ct) =>
{
    using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, interrupted.Token);
    try
    {
        return await new LoadRun(request).ExecuteAsync(linked.Token);
    }
    catch (OperationCanceledException) when (linked.IsCancellationRequested)
    {
        Console.Error.WriteLine("fairlane-loadtest: interrupted; the run's processes were stopped and its databases dropped");
        return ExitCodes.RunFailed;
    }
    catch (Exception ex) when (ex is not OperationCanceledException)
    {
        // Bringing the stack up or running it failed: say why, in one place, with a code of its own.
        Console.Error.WriteLine($"fairlane-loadtest: the run failed: {ex}");
        return ExitCodes.RunFailed;
    }
});
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"fairlane-loadtest: {error.Message}");
    return ExitCodes.BadCommandLine;
}
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
