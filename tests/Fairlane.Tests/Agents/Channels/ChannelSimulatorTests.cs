using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fairlane.Agents.Channels;
using Fairlane.ChannelSimulator;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Agents.Channels;

/// <summary>The simulator itself: its control API, its batch limits and its seeded determinism.</summary>
[Trait("Category", "Integration")]
public sealed class ChannelSimulatorTests
{
    [Fact]
    public async Task The_control_api_sets_stock_credentials_and_faults_and_reports_calls()
    {
        await using var h = await ChannelHarness.StartAsync();
        var (channel, _) = h.Channel(ChannelTypes.Wix, tenant: "ctl");
        var sim = $"{h.Simulator.BaseUrl}/_sim/accounts/wix/ctl-main";
        using var http = new HttpClient();

        (await http.PutAsJsonAsync($"{sim}/stock", new Dictionary<string, int> { ["a"] = 5, ["b"] = 6 })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"{sim}/failures", new { status = 503, count = 1 })).EnsureSuccessStatusCode();
        var read = await h.Adapter(channel).ReadStockAsync(channel, ["a", "b"], CancellationToken.None);

        Assert.Equal(5, read["a"]);
        var calls = await http.GetFromJsonAsync<JsonObject>($"{sim}/calls");
        Assert.Equal(1, (int)calls!["read"]!["503"]!);
        Assert.Equal(1, (int)calls["read"]!["200"]!);
        Assert.Equal(6, (int)(await http.GetFromJsonAsync<JsonObject>($"{sim}/stock/b"))!["quantity"]!);

        (await http.PutAsJsonAsync($"{sim}/credential", new { credential = "new-token" })).EnsureSuccessStatusCode();
        await Assert.ThrowsAsync<ChannelAuthException>(() => h.Adapter(channel).ReadStockAsync(channel, ["a"], CancellationToken.None));

        (await http.PutAsJsonAsync($"{h.Simulator.BaseUrl}/_sim/faults", new { outage = true })).EnsureSuccessStatusCode();
        Assert.True(h.Simulator.Faults.Outage);
        var bad = await http.PutAsJsonAsync($"{sim}/faults", new { errorRate = 1.5 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("errorRate", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"{sim}/stock/zzz")).StatusCode);
    }

    [Theory]
    [InlineData("eposnow/acct/api/v4/ProductStock?productIds=", 51)]
    [InlineData("wix/acct/stores/v2/inventoryItems/query", 101)]
    public async Task Calls_over_the_vendors_batch_limit_are_refused(string path, int ids)
    {
        await using var simulator = await ChannelSimulatorServer.StartAsync();
        using var http = new HttpClient();
        var names = Enumerable.Range(0, ids).Select(i => $"{i}").ToArray();
        using var request = path.StartsWith("eposnow", StringComparison.Ordinal)
            ? new HttpRequestMessage(HttpMethod.Get, $"{simulator.BaseUrl}/{path}{string.Join(',', names)}")
            {
                Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("k:s"u8.ToArray())) },
            }
            : new HttpRequestMessage(HttpMethod.Post, $"{simulator.BaseUrl}/{path}")
            {
                Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "t") },
                Content = JsonContent.Create(new { query = new { filter = new { productId = new Dictionary<string, string[]> { ["$in"] = names } } } }),
            };

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_seed_plays_the_same_faults()
    {
        async Task<List<HttpStatusCode>> Play(int seed)
        {
            await using var simulator = await ChannelSimulatorServer.StartAsync(seed: seed);
            simulator.Account(ChannelTypes.Deliveroo, "site").Faults = new SimulatedFaults { ErrorRate = 0.3, ThrottleRate = 0.2, RetryAfterSeconds = 0 };
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "t");
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 40; i++)
            {
                using var response = await http.GetAsync($"{simulator.BaseUrl}/deliveroo/site/site/v1/menu/item_stock");
                statuses.Add(response.StatusCode);
            }
            return statuses;
        }

        var first = await Play(seed: 42);
        var again = await Play(seed: 42);
        var other = await Play(seed: 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Contains(HttpStatusCode.OK, first);
        Assert.Contains(HttpStatusCode.InternalServerError, first);
        Assert.Contains(HttpStatusCode.TooManyRequests, first);
    }

    [Fact]
    public async Task Accounts_are_separate_and_share_one_server()
    {
        await using var h = await ChannelHarness.StartAsync();
        var (a, accountA) = h.Channel(ChannelTypes.EposNow, tenant: "tenant-a");
        var (b, accountB) = h.Channel(ChannelTypes.EposNow, tenant: "tenant-b");
        accountA.SetStock("1", 10);
        accountB.SetStock("1", 20);
        accountA.Faults = new SimulatedFaults { Outage = true };

        await Assert.ThrowsAsync<ChannelTransientException>(() => h.Adapter(a).ReadStockAsync(a, ["1"], CancellationToken.None));
        var fromB = await h.Adapter(b).ReadStockAsync(b, ["1"], CancellationToken.None);

        Assert.Equal(20, fromB["1"]);
        Assert.Equal(0, accountB.Calls(SimulatedEndpoint.Read, 503));
        Assert.Equal(accountA.Calls(SimulatedEndpoint.Read), accountA.Calls(SimulatedEndpoint.Read, 503));
        Assert.Equal(2, h.Simulator.Accounts.Count);
    }
}
