using Fairlane.Agents.Channels;

namespace Fairlane.Tests.Agents.Channels;

public sealed class ChannelAdaptersTests
{
    private static ChannelAdapters Create() =>
        ChannelAdapters.Create(new HttpClient(), new ChannelResilience(new ChannelResilienceOptions(), new ChannelBreakers()));

    [Fact]
    public void Resolves_the_adapter_of_each_channel_type()
    {
        var adapters = Create();

        Assert.IsType<EposNowAdapter>(adapters.For(ChannelTypes.EposNow));
        Assert.IsType<WixAdapter>(adapters.For(ChannelTypes.Wix));
        Assert.IsType<DeliverooAdapter>(adapters.For(ChannelTypes.Deliveroo));
        Assert.Equal(ChannelTypes.All.Order(), adapters.ChannelTypes.Order());
        Assert.All(ChannelTypes.All, t => Assert.Equal(t, adapters.For(t).ChannelType));
    }

    [Fact]
    public void An_unknown_channel_type_names_the_known_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create().For("shopify"));

        Assert.Contains("'shopify'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("eposnow, wix, deliveroo", ex.Message, StringComparison.Ordinal);
        Assert.False(Create().TryGet("shopify", out _));
    }

    [Fact]
    public void Two_adapters_for_one_type_are_refused()
    {
        var resilience = new ChannelResilience(new ChannelResilienceOptions(), new ChannelBreakers());
        using var http = new HttpClient();

        Assert.Throws<ArgumentException>(() => new ChannelAdapters([new WixAdapter(http, resilience), new WixAdapter(http, resilience)]));
    }

    [Fact]
    public void Invalid_resilience_settings_name_the_setting()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new ChannelResilience(new ChannelResilienceOptions { BreakerMinimumThroughput = 1, AttemptTimeoutMs = 5 }, new ChannelBreakers()));

        Assert.Contains("Channels:Resilience:BreakerMinimumThroughput", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Channels:Resilience:AttemptTimeoutMs", ex.Message, StringComparison.Ordinal);
        Assert.Empty(new ChannelResilienceOptions().Validate());
    }
}
