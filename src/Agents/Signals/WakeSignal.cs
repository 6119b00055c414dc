namespace Fairlane.Agents.Signals;

/// <summary>
/// Wakes one waiting loop; wakes coalesce, so many before the loop looks are one. A woken loop reads
/// all the state it serves, so a wake is a hint, never a message. Waking an already woken signal is a
/// read of one field: the hot paths (every committed run, every outbox notice) wake far more often
/// than their loops look, and a semaphore released past its limit throws, which under load cost
/// thousands of exceptions a second.
/// </summary>
public class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private int _pending; // 1 from a wake until the loop takes it

    public void Wake()
    {
        if (Volatile.Read(ref _pending) == 1 || Interlocked.Exchange(ref _pending, 1) == 1) return;
        _signal.Release();
    }

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await _signal.WaitAsync(timeout, cancellationToken)) return false;
        // A full fence: a wake that finds the flag still set happened before this, so what it signals is
        // visible to the look that follows; any later one sets the flag and releases again.
        Interlocked.Exchange(ref _pending, 0);
        return true;
    }

    public void Dispose()
    {
        _signal.Dispose();
        GC.SuppressFinalize(this);
    }
}
