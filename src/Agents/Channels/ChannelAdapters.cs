using System.Diagnostics.CodeAnalysis;

namespace Fairlane.Agents.Channels;

/// <summary>The adapter for each channel type.</summary>
public sealed class ChannelAdapters
{
    private readonly Dictionary<string, IChannelAdapter> _byType = new(StringComparer.Ordinal);

    public ChannelAdapters(IEnumerable<IChannelAdapter> adapters)
    {
        foreach (var adapter in adapters)
        {
            if (!_byType.TryAdd(adapter.ChannelType, adapter))
            {
                throw new ArgumentException($"Two adapters claim channel type '{adapter.ChannelType}'.", nameof(adapters));
            }
        }
    }

    /// <summary>The three built-in adapters over one shared client and resilience setup.</summary>
    public static ChannelAdapters Create(HttpClient httpClient, ChannelResilience resilience, TimeProvider? timeProvider = null) => new(
    [
        new EposNowAdapter(httpClient, resilience, timeProvider),
        new WixAdapter(httpClient, resilience, timeProvider),
        new DeliverooAdapter(httpClient, resilience, timeProvider),
    ]);

    public IReadOnlyCollection<string> ChannelTypes => _byType.Keys;

    public IChannelAdapter For(string channelType) =>
        TryGet(channelType, out var adapter)
            ? adapter
            : throw new ArgumentException(
                $"No adapter for channel type '{channelType}'; this build speaks {string.Join(", ", _byType.Keys)}.", nameof(channelType));

    public IChannelAdapter For(ChannelConnection connection) => For(connection.Type);

    public bool TryGet(string channelType, [NotNullWhen(true)] out IChannelAdapter? adapter) => _byType.TryGetValue(channelType, out adapter);
}
