using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace Fairlane.Worker.Observability;

/// <summary>
/// Puts the current span's trace and span ids on every log event written while one is current, as
/// TraceId and SpanId, so a log line leads to its trace in the tracing backend and back.
/// </summary>
internal sealed class TracingLogEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } span) return;
        logEvent.AddPropertyIfAbsent(new LogEventProperty("TraceId", new ScalarValue(span.TraceId.ToHexString())));
        logEvent.AddPropertyIfAbsent(new LogEventProperty("SpanId", new ScalarValue(span.SpanId.ToHexString())));
    }
}
