using Fairlane.Agents.Handling;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Engine;

/// <summary>
/// Which handler processes which event type on which topic, for the agents this node runs; the
/// topic of a type comes from the event catalogue. An event type that does not belong on its topic
/// has no handler and is dead-lettered as unknown-type.
/// </summary>
internal sealed class HandlerRegistry
{
    private readonly Dictionary<(string Topic, string Type), IEventHandler> _handlers = [];

    public HandlerRegistry(IEnumerable<IEventHandler> handlers, IOptions<KafkaOptions> kafka, IOptions<WorkerOptions> worker)
    {
        var topics = kafka.Value.Topics;
        // Tenant lifecycle commands concern every node, whatever agents it runs.
        foreach (var handler in handlers.Where(h => h.Agent == "control" || worker.Value.Runs(h.Agent)))
            _handlers[(TopicOf(topics, handler.EventType), handler.EventType)] = handler;
    }

    /// <summary>The topics this node consumes.</summary>
    public IReadOnlyCollection<string> Topics => _handlers.Keys.Select(k => k.Topic).Distinct().ToList();

    public IEventHandler? Find(string topic, string type) => _handlers.GetValueOrDefault((topic, type));

    private static string TopicOf(Topics topics, string type) =>
        EventCatalog.Find(type) is { } definition
            ? topics.For(definition.Topic)
            : throw new InvalidOperationException($"No topic carries event type '{type}': it is not in the event catalogue.");
}
