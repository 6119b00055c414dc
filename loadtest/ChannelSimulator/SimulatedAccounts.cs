using System.Collections.Concurrent;

namespace Fairlane.ChannelSimulator;

/// <summary>
/// Every account the server knows, created on first mention (a call, the control API or the C#
/// API), so any number of tenants and channels can share one server without setup.
/// </summary>
internal sealed class SimulatedAccounts(int seed)
{
    private readonly ConcurrentDictionary<(string Type, string Name), SimulatedAccount> _accounts = new();
    private int _seed = seed;

    /// <summary>The server's address, known once Kestrel has bound its port.</summary>
    public string ServerUrl { get; set; } = "";

    public int Seed => Volatile.Read(ref _seed);

    public SimulatedAccount GetOrAdd(string channelType, string name)
    {
        if (!ChannelTypes.IsKnown(channelType))
        {
            throw new ArgumentException(
                $"Unknown channel type '{channelType}'; the simulator serves {string.Join(", ", ChannelTypes.All)}.", nameof(channelType));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _accounts.GetOrAdd((channelType, name), static (key, self) =>
            new SimulatedAccount(key.Type, key.Name, $"{self.ServerUrl}/{key.Type}/{Uri.EscapeDataString(key.Name)}", self.Seed), this);
    }

    public IReadOnlyList<SimulatedAccount> All => [.. _accounts.Values.OrderBy(a => a.ChannelType).ThenBy(a => a.Name, StringComparer.Ordinal)];

    public void Reseed(int seed)
    {
        Volatile.Write(ref _seed, seed);
        foreach (var account in _accounts.Values) account.Reseed(seed);
    }

    public void Clear() => _accounts.Clear();
}
