using System.Diagnostics;
using System.Text;
using Fairlane.Contracts;

namespace Fairlane.Worker.Observability;

/// <summary>
/// The node's one <see cref="ActivitySource"/> and the W3C trace context it reads from record headers
/// and outbox rows. With no exporter configured nothing listens to the source: every span start is then
/// a null check, and nothing here parses a header.
/// </summary>
internal static class Tracing
{
    /// <summary>The source name the tracer provider listens to.</summary>
    public const string SourceName = "Fairlane";

    public static readonly ActivitySource Source = new(SourceName);

    // The OpenTelemetry messaging conventions' attribute names, and ours.
    public const string MessagingSystem = "messaging.system";
    public const string Destination = "messaging.destination.name";
    public const string Partition = "messaging.destination.partition.id";
    public const string Offset = "messaging.kafka.offset";
    public const string MessageId = "messaging.message.id";
    public const string Operation = "messaging.operation.type";
    public const string Tenant = "fairlane.tenant";
    public const string Agent = "fairlane.agent";
    public const string Outcome = "fairlane.outcome";

    /// <summary>Whether a tracer provider listens: when false, callers skip even reading headers.</summary>
    public static bool Enabled => Source.HasListeners();

    /// <summary>The trace context a record was sent under (its traceparent and tracestate headers), or default.</summary>
    public static ActivityContext ParentOf(IReadOnlyList<KeyValuePair<string, byte[]>> headers)
    {
        string? parent = null, state = null;
        // The last header of a name wins, as a replayed or re-sent record may carry an older one first.
        foreach (var (name, value) in headers)
        {
            if (name == HeaderNames.TraceParent) parent = Encoding.UTF8.GetString(value);
            else if (name == HeaderNames.TraceState) state = Encoding.UTF8.GetString(value);
        }
        return Parse(parent, state);
    }

    /// <summary>A stored or received traceparent as a remote parent, or default when absent or malformed.</summary>
    public static ActivityContext Parse(string? traceParent, string? traceState) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;

    /// <summary>The span consuming one record, child of the context its producer sent; null when not traced.</summary>
    public static Activity? StartConsume(string topic, int partition, long offset, string tenant,
        IReadOnlyList<KeyValuePair<string, byte[]>> headers)
    {
        if (!Enabled) return null;
        var span = Source.StartActivity($"receive {topic}", ActivityKind.Consumer, ParentOf(headers));
        span?.SetTag(MessagingSystem, "kafka").SetTag(Operation, "receive").SetTag(Destination, topic)
            .SetTag(Partition, partition).SetTag(Offset, offset).SetTag(Tenant, tenant);
        return span;
    }

    /// <summary>The span publishing one record, child of <paramref name="parent"/>; null when not traced.</summary>
    public static Activity? StartPublish(string topic, string tenant, string eventId, ActivityContext parent)
    {
        var span = Source.StartActivity($"send {topic}", ActivityKind.Producer, parent);
        span?.SetTag(MessagingSystem, "kafka").SetTag(Operation, "send").SetTag(Destination, topic)
            .SetTag(Tenant, tenant).SetTag(MessageId, eventId);
        return span;
    }

    /// <summary>The W3C id of a span, the value of a traceparent header (null for none or a non-W3C id).</summary>
    public static string? TraceParentOf(Activity? span) => span is { IdFormat: ActivityIdFormat.W3C } ? span.Id : null;
}
