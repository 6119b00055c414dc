using Fairlane.Agents.Channels;
using Fairlane.ChannelSimulator;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Agents.Channels;

/// <summary>Each adapter against its simulated vendor over loopback HTTP: the wire shapes, batching and per-item results.</summary>
[Trait("Category", "Integration")]
public sealed class ChannelAdapterTests : IAsyncLifetime
{
    private ChannelHarness _h = null!;

    public async Task InitializeAsync() => _h = await ChannelHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    // 120 stocked items + 2 unknown ids = 122 ids: Epos Now takes 50 per list call, Wix 100 per
    // query, Deliveroo answers any read with one snapshot of the site.
    [Theory]
    [InlineData(ChannelTypes.EposNow, 3)]
    [InlineData(ChannelTypes.Wix, 2)]
    [InlineData(ChannelTypes.Deliveroo, 1)]
    public async Task Reads_stock_in_batches_the_channel_accepts(string type, int expectedCalls)
    {
        var (channel, account) = _h.Channel(type);
        var stocked = Enumerable.Range(0, 120).ToDictionary(i => $"item-{i}", i => i * 3);
        account.SetStock(stocked);
        account.SetStock("not-asked-for", 99);

        var read = await _h.Adapter(channel).ReadStockAsync(channel, [.. stocked.Keys, "unknown-1", "unknown-2"], CancellationToken.None);

        Assert.Equal(stocked.OrderBy(s => s.Key), read.OrderBy(s => s.Key));
        Assert.Equal(expectedCalls, account.Calls(SimulatedEndpoint.Read));
        Assert.Equal(expectedCalls, account.Calls(SimulatedEndpoint.Read, 200));
    }

    // 249 known items, one with a negative quantity, and one the channel does not have: 251 pushes.
    [Theory]
    [InlineData(ChannelTypes.EposNow, 6)]
    [InlineData(ChannelTypes.Wix, 3)]
    [InlineData(ChannelTypes.Deliveroo, 2)]
    public async Task Pushes_stock_in_batches_and_reports_each_item(string type, int expectedCalls)
    {
        var (channel, account) = _h.Channel(type);
        account.SetStock(Enumerable.Range(0, 250).Select(i => KeyValuePair.Create($"item-{i}", 0)));
        List<StockPush> pushes = [.. Enumerable.Range(0, 250).Select(i => new StockPush($"item-{i}", i == 0 ? -5 : i + 1)), new StockPush("ghost", 7)];

        var results = await _h.Adapter(channel).PushStockAsync(channel, pushes, CancellationToken.None);

        Assert.Equal(expectedCalls, account.Calls(SimulatedEndpoint.Push));
        Assert.Equal(251, results.Count);
        Assert.Equal(249, results.Count(r => r.Accepted));
        Assert.Equal(["ghost", "item-0"], results.Where(r => !r.Accepted).Select(r => r.ExternalId).Order(StringComparer.Ordinal));
        Assert.All(results.Where(r => !r.Accepted), r => Assert.False(string.IsNullOrWhiteSpace(r.Error)));
        Assert.Equal(2, account.GetStock("item-1"));
        Assert.Equal(250, account.GetStock("item-249"));
        Assert.Equal(0, account.GetStock("item-0"));
        Assert.Null(account.GetStock("ghost"));
    }

    [Fact]
    public async Task Repeated_pushes_of_an_item_send_only_the_last()
    {
        var (channel, account) = _h.Channel(ChannelTypes.Wix);
        account.SetStock("a", 0);

        var results = await _h.Adapter(channel).PushStockAsync(channel, [new("a", 1), new("a", 2), new("a", 5)], CancellationToken.None);

        Assert.Equal([StockPushResult.Ok("a")], results);
        Assert.Equal(5, account.GetStock("a"));
        Assert.Equal(1, account.Calls(SimulatedEndpoint.Push));
    }

    [Fact]
    public async Task Empty_reads_and_pushes_make_no_calls()
    {
        var (channel, account) = _h.Channel(ChannelTypes.Deliveroo);

        Assert.Empty(await _h.Adapter(channel).ReadStockAsync(channel, [], CancellationToken.None));
        Assert.Empty(await _h.Adapter(channel).PushStockAsync(channel, [], CancellationToken.None));
        Assert.Equal(0, account.TotalCalls);
    }

    [Theory]
    [InlineData(ChannelTypes.EposNow)]
    [InlineData(ChannelTypes.Wix)]
    [InlineData(ChannelTypes.Deliveroo)]
    public async Task Wrong_credentials_raise_the_auth_exception_without_retrying(string type)
    {
        var (channel, account) = _h.Channel(type);
        account.ExpectedCredential = "something-else";
        account.SetStock("a", 1);
        var adapter = _h.Adapter(channel);

        var onRead = await Assert.ThrowsAsync<ChannelAuthException>(() => adapter.ReadStockAsync(channel, ["a"], CancellationToken.None));
        var onPush = await Assert.ThrowsAsync<ChannelAuthException>(() => adapter.PushStockAsync(channel, [new("a", 2)], CancellationToken.None));

        Assert.Equal(401, onRead.StatusCode);
        Assert.Equal(channel.Key, onRead.Channel);
        Assert.Contains("auth_failed", onRead.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(channel.Credentials.Secret, onRead.Message, StringComparison.Ordinal);
        Assert.Equal(ChannelOperations.Push, onPush.Operation);
        Assert.Equal(1, account.Calls(SimulatedEndpoint.Read, 401));
        Assert.Equal(1, account.Calls(SimulatedEndpoint.Push, 401));
        Assert.Equal(2, account.TotalCalls);
        Assert.Equal(2, _h.Calls.Count(ChannelCallOutcome.AuthFailed));
        Assert.Equal(1, account.GetStock("a"));
    }

    [Fact]
    public async Task An_adapter_refuses_a_channel_of_another_type()
    {
        var (channel, account) = _h.Channel(ChannelTypes.Wix);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            _h.Adapters.For(ChannelTypes.EposNow).ReadStockAsync(channel, ["a"], CancellationToken.None));

        Assert.Contains("wix channel", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, account.TotalCalls);
    }
}
