using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Configuration;

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public static readonly string[] Protocols = ["grpc", "http/protobuf"];

    public ValidateOptionsResult Validate(string? name, TelemetryOptions o)
    {
        var e = new SettingErrors(TelemetryOptions.Section);
        if (o.Enabled)
        {
            e.Require(Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps),
                nameof(o.OtlpEndpoint), $"must be an http:// or https:// URL of an OTLP collector (e.g. http://alloy:4317); got '{o.OtlpEndpoint}'. Leave it unset to turn tracing off.");
        }
        e.Require(Protocols.Contains(o.OtlpProtocol, StringComparer.OrdinalIgnoreCase), nameof(o.OtlpProtocol),
            $"must be one of {string.Join(", ", Protocols)}; got '{o.OtlpProtocol}'.");
        e.Require(o.SamplingRatio is >= 0 and <= 1, nameof(o.SamplingRatio),
            $"must be between 0 and 1 (the share of new traces recorded); got {o.SamplingRatio}.");
        return e.Result();
    }
}
