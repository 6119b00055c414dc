using Fairlane.Agents.Bus;

namespace Fairlane.LoadTest.Baseline;

/// <summary>The baseline announces nothing: bus notices run after commit and are no part of the measured work.</summary>
internal sealed class NoEventBus : IEventBus
{
    public Task PublishAsync(BusNotice notice, CancellationToken cancellationToken) => Task.CompletedTask;
}
