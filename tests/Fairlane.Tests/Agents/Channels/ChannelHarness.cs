using System.Collections.Concurrent;
using Fairlane.Agents.Channels;
using Fairlane.ChannelSimulator;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Agents.Channels;

/// <summary>
/// A test's own channel simulator on loopback and the real adapters pointed at it, with resilience
/// timings short enough that a test takes seconds. Each channel gets its own simulator account.
/// </summary>
internal sealed class ChannelHarness : IAsyncDisposable
{
    private ChannelHarness(ChannelSimulatorServer simulator, ChannelResilienceOptions options)
    {
        Simulator = simulator;
        Http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        Breakers = new ChannelBreakers();
        Breakers.StateChanged += BreakerChanges.Enqueue;
        Resilience = new ChannelResilience(options, Breakers, Calls);
        Adapters = ChannelAdapters.Create(Http, Resilience);
    }

    public ChannelSimulatorServer Simulator { get; }
    public HttpClient Http { get; }
    public ChannelBreakers Breakers { get; }
    public ChannelResilience Resilience { get; }
    public ChannelAdapters Adapters { get; }
    public RecordingCallObserver Calls { get; } = new();
    public ConcurrentQueue<ChannelBreakerChange> BreakerChanges { get; } = new();

    /// <summary>Fast retries, a breaker that stays out of the way unless a test tightens it.</summary>
    public static ChannelResilienceOptions FastOptions() => new()
    {
        MaxRetryAttempts = 4,
        RetryBaseDelayMs = 5,
        RetryMaxDelayMs = 20,
        MaxRetryAfterMs = 5_000,
        AttemptTimeoutMs = 5_000,
        BreakerFailureRatio = 0.5,
        BreakerSamplingDurationMs = 5_000,
        BreakerMinimumThroughput = 1_000,
        BreakerBreakDurationMs = 1_000,
    };

    public static async Task<ChannelHarness> StartAsync(Action<ChannelResilienceOptions>? configure = null, int seed = 20240601)
    {
        var options = FastOptions();
        configure?.Invoke(options);
        return new ChannelHarness(await ChannelSimulatorServer.StartAsync(port: 0, seed: seed), options);
    }

    /// <summary>A tenant's channel of <paramref name="type"/> and the simulator account behind it, which expects its credentials.</summary>
    public (ChannelConnection Channel, SimulatedAccount Account) Channel(string type, string tenant = "tenant-a", string channelId = "main")
    {
        var account = Simulator.Account(type, $"{tenant}-{channelId}");
        var credentials = new ChannelCredentials(
            type == ChannelTypes.EposNow ? $"key-{tenant}" : null, $"secret-{tenant}-{channelId}-{Guid.NewGuid():N}");
        account.ExpectedCredential = type == ChannelTypes.EposNow ? $"{credentials.ApiKey}:{credentials.Secret}" : credentials.Secret;
        return (new ChannelConnection(tenant, channelId, type, new Uri(account.BaseUrl), credentials), account);
    }

    public IChannelAdapter Adapter(ChannelConnection channel) => Adapters.For(channel);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}

/// <summary>Every call attempt the resilience layer reported.</summary>
internal sealed class RecordingCallObserver : IChannelCallObserver
{
    private readonly ConcurrentQueue<(string Type, string Operation, ChannelCallOutcome Outcome)> _calls = new();

    public void CallCompleted(string channelType, string operation, ChannelCallOutcome outcome, TimeSpan duration) =>
        _calls.Enqueue((channelType, operation, outcome));

    public int Count(ChannelCallOutcome outcome, string? operation = null) =>
        _calls.Count(c => c.Outcome == outcome && (operation is null || c.Operation == operation));
}
