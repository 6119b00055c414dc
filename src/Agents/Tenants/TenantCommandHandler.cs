using Fairlane.Agents.Handling;
using Fairlane.Contracts.Events;

namespace Fairlane.Agents.Tenants;

/// <summary>Tells every node that a tenant's status or limits changed, so they reload it at once.</summary>
public interface ITenantChangeNotice
{
    Task PublishAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>
/// Applies tenant lifecycle commands from the control topic to the tenant's own row (row-level
/// security lets the tenant-bound transaction touch nothing else), then tells the fleet. Register
/// creates the tenant or re-activates a deleted one; unregister keeps its data and marks it deleted,
/// after which its events are dead-lettered as tenant-deleted. Invalid limits break
/// <see cref="TenantRules"/> and are dead-lettered with the rule's message.
/// </summary>
public sealed class TenantCommandHandler(ITenantChangeNotice notice) : IEventHandler<TenantCommand>
{
    public string Agent => "control";
    public bool RequiresRegisteredTenant => false;

    public async Task<Outcome> HandleAsync(TypedEnvelope<TenantCommand> envelope, HandlerContext context, CancellationToken cancellationToken)
    {
        var command = envelope.Payload;
        var applied = await TenantCommands.ApplyAsync(command, context.Connection, context.Transaction, context.TenantId, cancellationToken);
        if (applied.Refused is { } reason) return Outcome.Permanent(reason);
        // A command with nothing to change (pausing a paused tenant, updating a deleted one) is a no-op, not an error.
        if (applied.Changed) context.AfterCommit.Add(ct => notice.PublishAsync(context.TenantId, ct));
        return Outcome.Done;
    }
}
