namespace Fairlane.Agents.Sync;

/// <summary>
/// Wakes this node's pusher when a request committed (after the debounce it becomes due) or a pass
/// ended (a slot is free, and products requested during the pass are due at once). Wakes coalesce: many
/// signals before the pusher looks are one.
/// </summary>
public sealed class SyncSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the pusher will look once for all of them.
        }
    }

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
