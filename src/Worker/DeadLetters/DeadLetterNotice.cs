using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Pipeline;

namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// Tells a handler that asks for it (<see cref="IDeadLetterAware"/>) that its event ended as a dead
/// letter, exactly once: in a tenant transaction of its own (the event's own rolled back, or never
/// opened) that also marks the event in the processed-events ledger, so a dead letter sent again
/// after a crash does not tell it twice.
/// </summary>
internal sealed class DeadLetterNotice(TenantDatabase database)
{
    /// <summary>The suffix of the ledger row recording that a handler was told its event was dead-lettered.</summary>
    public const string LedgerSuffix = ".dead-lettered";

    /// <summary>True when the handler was told now; false when it had been told before.</summary>
    public Task<bool> TellAsync(IDeadLetterAware handler, EngineEvent e, CancellationToken cancellationToken) =>
        database.InTenantTransactionAsync(e.Tenant, async (c, tx, ct) =>
        {
            var origin = e.Origin();
            if (!await ProcessedEventLedger.TryRecordAsync(c, tx, e.Tenant, e.Envelope.Id + LedgerSuffix, origin, ct)) return false;
            await handler.DeadLetteredAsync(e.Envelope, new HandlerContext(c, tx, e.Tenant, origin), ct);
            return true;
        }, cancellationToken);
}
