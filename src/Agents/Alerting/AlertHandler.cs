using Fairlane.Agents.Handling;
using Fairlane.Contracts.Events;

namespace Fairlane.Agents.Alerting;

/// <summary>
/// Runs alert checks for a tenant: low stock per product, sync health per channel, channel status.
/// Each check opens the alerts whose condition holds and resolves the open ones whose condition has
/// cleared, so re-running a check is harmless and an alert is open at most once.
/// </summary>
public sealed class AlertHandler(AlertStore alerts, AlertChecks checks) : IEventHandler<AlertCheck>
{
    public string Agent => "alert";

    public async Task<Outcome> HandleAsync(TypedEnvelope<AlertCheck> envelope, HandlerContext context, CancellationToken cancellationToken)
    {
        var check = envelope.Payload;
        var all = check.Check == AlertKinds.All;
        if (!all && check.Check is not (AlertKinds.LowStock or AlertKinds.SyncHealth or AlertKinds.ChannelStatus))
            return Outcome.Permanent($"unknown alert check '{check.Check}'");

        var findings = new List<Finding>();
        if (all || check.Check == AlertKinds.LowStock)
            findings.AddRange(await AlertChecks.LowStockAsync(context, check.ProductId, cancellationToken));
        if (all || check.Check == AlertKinds.SyncHealth)
            findings.AddRange(await checks.SyncHealthAsync(context, check.ChannelId, cancellationToken));
        if (all || check.Check == AlertKinds.ChannelStatus)
            findings.AddRange(await checks.ChannelStatusAsync(context, check.ChannelId, cancellationToken));

        foreach (var finding in findings)
        {
            if (finding.Holds) await alerts.RaiseAsync(context, finding.Kind, finding.Subject, finding.Severity, finding.Message, cancellationToken);
            else await AlertStore.ResolveAsync(context, finding.Kind, finding.Subject, cancellationToken);
        }
        return Outcome.Done;
    }
}

/// <summary>One subject's state for one kind of alert: whether the alert's condition holds now.</summary>
public sealed record Finding(string Kind, string Subject, bool Holds, string Severity = "warning", string Message = "");
