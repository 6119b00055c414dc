namespace Fairlane.Worker.Infrastructure;

/// <summary>
/// Runs a service's loops (one consumer per topic, one per worker), each meant to last until the
/// service stops. Awaiting them all would hide one that ended early: the node would go on with a
/// topic unconsumed or a worker short, and look healthy. So the first loop to end before the stop
/// (by throwing or by returning) stops its siblings and faults the service, which stops the host with
/// exit code 1 (<see cref="HostFaults"/>) and starves the systemd watchdog, and the supervisor
/// restarts a whole node. Given <see cref="HealthSignals"/>, the ended loop is reported at once, so
/// /readyz says why while the siblings drain.
/// </summary>
internal static class ServiceLoops
{
    public static async Task RunAsync(string service, IReadOnlyList<Func<CancellationToken, Task>> loops, CancellationToken stoppingToken,
        HealthSignals? signals = null)
    {
        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var running = loops.Select(loop => loop(siblings.Token)).ToList();
        var first = await Task.WhenAny(running);
        if (stoppingToken.IsCancellationRequested)
        {
            await Task.WhenAll(running);
            return;
        }
        signals?.LoopEnded(service, first.Exception?.GetBaseException() is { } ended ? $"a loop failed ({ended.Message})" : "a loop returned");

        // Let the others finish cleanly (commit, leave the group) before the host stops.
        await siblings.CancelAsync();
        try
        {
            await Task.WhenAll(running);
        }
        catch (Exception) when (first.IsFaulted)
        {
            // The first fault is the one worth reporting; the others follow from it.
        }
        catch (OperationCanceledException)
        {
        }
        throw first.Exception?.GetBaseException() is { } fault
            ? new InvalidOperationException($"{service}: a loop failed ({fault.Message}); stopping the node so that it restarts whole", fault)
            : new InvalidOperationException($"{service}: a loop ended while the node was running; stopping the node so that it restarts whole");
    }
}
