using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace Fairlane.Tests.Worker.Tracing;

/// <summary>Tracing is off unless an endpoint is set, and its settings are checked at startup.</summary>
[Trait("Category", "Integration")]
public sealed class TracingSetupTests
{
    private static WorkerSettings Settings(TestStack stack) => stack.SettingsFor(inProcess: true);

    [Fact(Timeout = 60_000)]
    public async Task Without_an_endpoint_no_tracer_provider_is_built_and_with_one_it_is()
    {
        await using var stack = await new StackBuilder().NoKafka().NoDatabase().InProcessWorkers(0).StartAsync();

        await using (var off = FairlaneHost.Build(Settings(stack).ToArguments()))
            Assert.Null(off.Services.GetService<TracerProvider>());

        var on = Settings(stack).Set("Telemetry:OtlpEndpoint", "http://127.0.0.1:4317").Set("Telemetry:SamplingRatio", 0.1);
        await using var traced = FairlaneHost.Build(on.ToArguments());
        Assert.NotNull(traced.Services.GetService<TracerProvider>());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("Telemetry:SamplingRatio", "1.5", "Telemetry:SamplingRatio")]
    [InlineData("Telemetry:SamplingRatio", "-0.1", "Telemetry:SamplingRatio")]
    [InlineData("Telemetry:OtlpEndpoint", "collector:4317", "Telemetry:OtlpEndpoint")]
    [InlineData("Telemetry:OtlpProtocol", "thrift", "Telemetry:OtlpProtocol")]
    public async Task A_bad_tracing_setting_stops_startup_naming_it(string key, string value, string named)
    {
        await using var stack = await new StackBuilder().NoKafka().NoDatabase().InProcessWorkers(0).StartAsync();
        var settings = Settings(stack).Set("Telemetry:OtlpEndpoint", "http://127.0.0.1:4317").Set(key, value);

        var error = Assert.Throws<OptionsValidationException>(() => FairlaneHost.Build(settings.ToArguments()));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
