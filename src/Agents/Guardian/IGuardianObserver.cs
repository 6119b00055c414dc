namespace Fairlane.Agents.Guardian;

/// <summary>Hears what reconciliation did, for metrics (this project knows no metrics library).</summary>
public interface IGuardianObserver
{
    void Reconciled(int checks, int repairs, int driftAlerts);

    /// <summary>A job of an older epoch was refused: a newer leader exists.</summary>
    void Fenced();

    /// <summary>A tenant's reconcile job was dead-lettered: the tenant counts as failed on its run.</summary>
    void Failed();
}
