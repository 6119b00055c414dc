using Fairlane.Contracts.Events;

namespace Fairlane.Agents.Handling;

/// <summary>
/// Accepts an event with no effect beyond the processed-events ledger row the pipeline writes. It
/// stands in for an agent until that agent's handler exists, so its topic still flows, is counted
/// and is exactly-once.
/// </summary>
public sealed class LedgerOnlyHandler(string agent, string eventType) : IEventHandler
{
    public string Agent { get; } = agent;
    public string EventType { get; } = eventType;

    public Task<HandlerOutcome> HandleAsync(EventEnvelope envelope, HandlerContext context, CancellationToken cancellationToken) =>
        Task.FromResult(HandlerOutcome.Done);
}
