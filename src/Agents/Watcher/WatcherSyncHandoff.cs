using Fairlane.Agents.Sync;

namespace Fairlane.Agents.Watcher;

/// <summary>
/// How the Watcher hands its changes to Sync (<see cref="SyncPushOptions.Handoff"/>), and, when it marks
/// them pending itself, what it tells Sync once they committed: how many folded, and that a push may be due.
/// </summary>
public sealed class WatcherSyncHandoff(SyncPushOptions options, SyncSignal signal, ISyncObserver observer)
{
    public SyncPushOptions Options => options;

    internal Task Marked(int folded)
    {
        for (var i = 0; i < folded; i++) observer.Folded();
        signal.Wake();
        return Task.CompletedTask;
    }
}
