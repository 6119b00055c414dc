using System.Globalization;
using Fairlane.Agents.Channels;

namespace Fairlane.LoadTest.Seeding;

/// <summary>A channel every seeded tenant has, with how it names the tenant's products.</summary>
internal sealed record TenantChannel(string Id, string Type)
{
    /// <summary>
    /// The channel's id for product number <paramref name="product"/>: Epos Now ids are numbers
    /// (its list form is comma-separated), the others are free text.
    /// </summary>
    public string ExternalId(int product) => Type switch
    {
        ChannelTypes.EposNow => (100_000 + product).ToString(CultureInfo.InvariantCulture),
        ChannelTypes.Wix => $"wix-{product:0000}",
        _ => $"dlv-{product:0000}",
    };

    public static string ProductId(int product) => $"p-{product:0000}";

    /// <summary>The channels of every tenant: one of each type the simulator serves.</summary>
    public static IReadOnlyList<TenantChannel> All { get; } =
        [new("wix-main", ChannelTypes.Wix), new("epos-main", ChannelTypes.EposNow), new("deliveroo-main", ChannelTypes.Deliveroo)];
}
