using System.Diagnostics;
using Fairlane.Agents.Handling;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Pipeline;

/// <summary>
/// The spans of a run: each traced event's wait in the queue (from its admission, or its load from the
/// park, to now), then one processing span for the run, current while the pipeline runs so the database
/// calls and the outbox rows its handlers write belong to it. A run of several events may come from
/// several traces: its span is the child of the first and links to the others.
/// </summary>
internal static class RunTracing
{
    public static Activity? Start(IReadOnlyList<EngineEvent> events)
    {
        if (!Tracing.Enabled) return null;
        var now = DateTime.UtcNow;
        foreach (var e in events.Where(e => e.TraceContext != default))
        {
            using var wait = Tracing.Source.StartActivity(e.FromPark ? "park wait" : "queue wait", ActivityKind.Internal, e.TraceContext,
                startTime: e.QueuedAtUtc == default ? now : e.QueuedAtUtc);
            wait?.SetTag(Tracing.Tenant, e.Tenant).SetEndTime(now);
        }
        var first = events[0];
        var links = events.Skip(1).Where(e => e.TraceContext != default && e.TraceContext != first.TraceContext)
            .Select(e => new ActivityLink(e.TraceContext)).ToList();
        var span = Tracing.Source.StartActivity($"process {first.Handler.Agent}", ActivityKind.Consumer, first.TraceContext, links: links);
        span?.SetTag(Tracing.MessagingSystem, "kafka").SetTag(Tracing.Operation, "process").SetTag(Tracing.Destination, first.Partition.Topic)
            .SetTag(Tracing.Partition, first.Partition.Partition).SetTag(Tracing.Offset, first.Offset).SetTag(Tracing.Tenant, first.Tenant)
            .SetTag(Tracing.Agent, first.Handler.Agent).SetTag(Tracing.MessageId, first.Envelope.Id).SetTag("fairlane.run_size", events.Count);
        return span;
    }

    /// <summary>The run's outcome: the kind every event ended with (or "mixed"), an error status when one failed.</summary>
    public static void End(Activity? span, IReadOnlyList<Outcome> outcomes)
    {
        if (span is null) return;
        var kinds = outcomes.Select(o => o.Kind).Distinct().ToList();
        span.SetTag(Tracing.Outcome, kinds.Count == 1 ? kinds[0].ToString().ToLowerInvariant() : "mixed");
        if (outcomes.FirstOrDefault(o => o.Kind is OutcomeKind.Retry or OutcomeKind.DeadLetter) is { } failed)
            span.SetStatus(ActivityStatusCode.Error, failed.Error?.Message ?? failed.Reason);
    }
}
