using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fairlane.Worker.Observability;

internal static class TracingServices
{
    /// <summary>
    /// A tracer provider for the Fairlane source, PostgreSQL statements and channel calls, sampled
    /// parent-based at <c>Telemetry:SamplingRatio</c> and exported over OTLP; nothing at all when
    /// <c>Telemetry:OtlpEndpoint</c> is unset, so no listener makes the spans exist. <paramref name="export"/>
    /// adds an exporter of the caller's (tests: in memory) and turns tracing on by itself.
    /// </summary>
    public static IServiceCollection AddTracing(this IServiceCollection services, TelemetryOptions telemetry, string nodeId,
        Action<TracerProviderBuilder>? export = null)
    {
        if (!telemetry.Enabled && export is null) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fairlane", serviceVersion: BuildVersion.Current, serviceInstanceId: nodeId))
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(telemetry.SamplingRatio)))
                    .AddSource(Tracing.SourceName)
                    .AddNpgsql()
                    .AddHttpClientInstrumentation();
                if (telemetry.Enabled)
                {
                    tracing.AddOtlpExporter(o =>
                    {
                        o.Endpoint = new Uri(telemetry.OtlpEndpoint!);
                        o.Protocol = telemetry.OtlpProtocol.Equals("grpc", StringComparison.OrdinalIgnoreCase)
                            ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    });
                }
                export?.Invoke(tracing);
            });
        return services;
    }
}
