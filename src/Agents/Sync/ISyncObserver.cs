namespace Fairlane.Agents.Sync;

/// <summary>What Sync reports for metrics: requests folded into a pending push, and pushes recorded.</summary>
public interface ISyncObserver
{
    /// <summary>A request found its product already pending and folded into that push.</summary>
    void Folded();

    /// <summary>A product's push was recorded, <paramref name="waited"/> after its first pending request.</summary>
    void Pushed(string status, TimeSpan waited);
}
