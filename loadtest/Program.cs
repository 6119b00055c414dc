using Fairlane.LoadTest;
using Fairlane.LoadTest.Cli;

// fairlane-loadtest: drives a real Fairlane fleet and a baseline consumer, and measures both from
// the events themselves (see README "Load test" and docs/benchmarks.md).
var root = LoadTestCommandLine.Build(async (request, ct) =>
{
    try
    {
        return await new LoadRun(request).ExecuteAsync(ct);
    }
    catch (OperationCanceledException) when (ct.IsCancellationRequested)
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
return await parse.InvokeAsync();
