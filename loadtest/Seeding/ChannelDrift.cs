using Fairlane.LoadTest.Load;

namespace Fairlane.LoadTest.Seeding;

/// <summary>
/// How far some channel items start from internal stock, for the Guardian to find: a small share
/// drifts a little (repaired), a smaller share a lot (alerted). Deterministic per seed and item.
/// </summary>
internal sealed record ChannelDrift(double RepairShare, int RepairBy, double AlertShare, int AlertBy, int Seed)
{
    public static ChannelDrift None { get; } = new(0, 0, 0, 0, 0);

    /// <summary>1% of items off by 2 (within the default threshold of 5), 0.2% off by 20.</summary>
    public static ChannelDrift Typical(int seed) => new(0.01, 2, 0.002, 20, seed);

    public int Of(string tenant, string channel, int product)
    {
        if (RepairShare == 0 && AlertShare == 0) return 0;
        var draw = new Random(StableSeed.Of(Seed, tenant, channel, product)).NextDouble();
        return draw < AlertShare ? AlertBy : draw < AlertShare + RepairShare ? RepairBy : 0;
    }
}
