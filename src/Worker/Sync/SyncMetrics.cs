using Fairlane.Agents.Sync;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Sync;

/// <summary>Sync's folds and pushes as Prometheus series.</summary>
internal sealed class SyncMetrics : ISyncObserver
{
    public void Folded() => FairlaneMetrics.SyncRequestsFolded.Inc();

    public void Pushed(string status, TimeSpan waited) => FairlaneMetrics.SyncPushDelay.WithLabels(status).Observe(Math.Max(0, waited.TotalSeconds));
}
