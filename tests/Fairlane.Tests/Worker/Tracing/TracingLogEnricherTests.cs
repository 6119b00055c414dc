using System.Diagnostics;
using Fairlane.Worker.Observability;
using Serilog.Events;

namespace Fairlane.Tests.Worker.Tracing;

/// <summary>A log line written while a span is current carries its trace id; one written outside any span carries none.</summary>
public sealed class TracingLogEnricherTests
{
    [Fact]
    public void A_log_event_written_under_a_span_carries_its_trace_and_span_ids()
    {
        var untraced = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, MessageTemplate.Empty, []);
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            new TracingLogEnricher().Enrich(untraced, null!);
            Assert.False(untraced.Properties.ContainsKey("TraceId"));

            using var span = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
            var traced = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, MessageTemplate.Empty, []);
            new TracingLogEnricher().Enrich(traced, null!);
            Assert.Equal(span.TraceId.ToHexString(), ((ScalarValue)traced.Properties["TraceId"]).Value);
            Assert.Equal(span.SpanId.ToHexString(), ((ScalarValue)traced.Properties["SpanId"]).Value);
        }
        finally
        {
            Activity.Current = previous;
        }
    }
}
