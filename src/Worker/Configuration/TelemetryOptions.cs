namespace Fairlane.Worker.Configuration;

/// <summary>OpenTelemetry tracing: off unless an OTLP endpoint is set.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// The OTLP collector to send spans to (Grafana Alloy, the OpenTelemetry Collector, Jaeger, Tempo),
    /// e.g. http://alloy:4317. Unset: no tracer provider, no exporter, nothing listens to the spans.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The OTLP transport: grpc (port 4317 by convention) or http/protobuf (4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>
    /// The share of new traces recorded, 0 to 1. Parent-based: a record whose producer sent a sampling
    /// decision in its traceparent follows it, so a trace is recorded whole or not at all.
    /// </summary>
    public double SamplingRatio { get; set; } = 1.0;

    /// <summary>Whether tracing is on: an endpoint is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(OtlpEndpoint);
}
