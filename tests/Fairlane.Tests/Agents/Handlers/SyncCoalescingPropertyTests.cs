using Fairlane.Agents.Inventory;
using Fairlane.Agents.Sync;
using Fairlane.ChannelSimulator;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Agents.Channels;
using Fairlane.Tests.Infrastructure;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Agents.Handlers;

/// <summary>
/// Coalescing driven by random histories against the real database and the channel simulator: stock
/// changes and their requests (from a channel, which then already shows the level it reported, or from
/// no channel), claims, passes advancing phase by phase (read, call the channels, record) in any order
/// between them, and pushers dying with their claims (the lease runs out). However the requests fold and interleave with passes, once everything is pushed every
/// channel shows its product's newest level, nothing is left pending, and every request is recorded.
/// Each history runs as a tenant of its own; a failure names its seed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SyncCoalescingPropertyTests
{
    private static readonly string[] Channels = ["pos", "web", "food"];

    [Fact(Timeout = 180_000)]
    public async Task Whatever_the_interleaving_every_channel_ends_at_its_products_newest_level()
    {
        await using var bed = await HandlerTestBed.StartAsync();
        await using var channels = await ChannelHarness.StartAsync();
        var sync = new SyncRig(bed, channels);
        for (var seed = 1; seed <= 25; seed++)
        {
            var failure = await RunHistoryAsync(bed, channels.Simulator, sync, seed);
            Assert.True(failure is null, $"seed {seed}: {failure}");
        }
    }

    private static async Task<string?> RunHistoryAsync(HandlerTestBed bed, ChannelSimulatorServer simulator, SyncRig sync, int seed)
    {
        var random = new Random(seed);
        var tenant = $"prop{seed}";
        await bed.Db.RegisterTenantsAsync([tenant]);
        var accounts = await SimulatedChannels.AddAsync(bed.Db, simulator, tenant,
            ("pos", ChannelTypes.EposNow), ("web", ChannelTypes.Wix), ("food", ChannelTypes.Deliveroo));
        var products = Enumerable.Range(0, random.Next(1, 4)).Select(i => new Catalog.Product($"p{i}", 10, BufferStock: random.Next(0, 3))).ToList();
        await Catalog.SeedAsync(bed.Db, tenant, [], products,
            products.SelectMany(p => Channels.Select(c => new Catalog.Mapping(p.Id, c, $"{c}-{p.Id}"))).ToList());
        foreach (var (channel, account) in accounts)
            foreach (var p in products) account.SetStock($"{channel}-{p.Id}", 0);

        var target = products.ToDictionary(p => p.Id, p => p.Stock - p.BufferStock);
        var held = new List<Pass>();
        var requests = 0;
        for (var step = 0; step < 30; step++)
        {
            switch (random.Next(10))
            {
                case < 5: // a stock change and its request
                    var product = products[random.Next(products.Count)];
                    var level = random.Next(0, 60);
                    var origin = random.Next(3) == 0 ? null : Channels[random.Next(Channels.Length)];
                    target[product.Id] = level;
                    if (origin is not null) accounts[origin].SetStock($"{origin}-{product.Id}", level); // it reported this level
                    await bed.Db.ExecuteAsync($"UPDATE products SET stock = {level + product.BufferStock} WHERE tenant_id = '{tenant}' AND id = '{product.Id}'");
                    await bed.HandleAsync(sync.Handler, tenant, new SyncRequested { ProductId = product.Id, OriginChannelId = origin, Reason = "manual" });
                    requests++;
                    break;
                case < 7:
                    if (Mine(await sync.ClaimAsync(), tenant) is { Count: > 0 } claimed) held.Add(new Pass(claimed));
                    break;
                case < 9:
                    if (held.Count > 0 && await AdvanceAsync(sync, held[random.Next(held.Count)])) held.RemoveAll(p => p.Recorded);
                    break;
                default: // a pusher dies holding its claim; the lease runs out
                    if (held.Count == 0) break;
                    var dead = held[random.Next(held.Count)];
                    held.Remove(dead);
                    await bed.Db.ExecuteAsync($"UPDATE sync_pending SET lease_until = now() - interval '1 second' WHERE tenant_id = '{tenant}' " +
                        $"AND product_id IN ({string.Join(", ", dead.Claimed.Select(c => $"'{c.ProductId}'"))})");
                    break;
            }
        }
        while (held.Count > 0)
        {
            if (await AdvanceAsync(sync, held[random.Next(held.Count)])) held.RemoveAll(p => p.Recorded);
        }
        await sync.DrainAsync();

        foreach (var (productId, level) in target)
        {
            foreach (var channel in Channels)
            {
                var shows = accounts[channel].GetStock($"{channel}-{productId}");
                if (shows != level) return $"{channel} shows {shows} for {productId}, its newest level is {level} ({requests} requests)";
            }
        }
        var pending = await bed.Db.ScalarAsync<long>($"SELECT count(*) FROM sync_pending WHERE tenant_id = '{tenant}'");
        var open = await bed.Db.ScalarAsync<long>($"SELECT count(*) FROM sync_events WHERE tenant_id = '{tenant}' AND completed_at IS NULL");
        var recorded = await bed.Db.ScalarAsync<long>($"SELECT count(*) FROM sync_events WHERE tenant_id = '{tenant}'");
        return pending == 0 && open == 0 && recorded == requests ? null : $"{pending} still pending, {open} of {recorded} sync events open, {requests} requests";
    }

    private static List<ClaimedSync> Mine(IReadOnlyList<ClaimedSync> claimed, string tenant) => claimed.Where(c => c.TenantId == tenant).ToList();

    /// <summary>A claimed pass and how far it got.</summary>
    private sealed class Pass(IReadOnlyList<ClaimedSync> claimed)
    {
        public IReadOnlyList<ClaimedSync> Claimed { get; } = claimed;
        public SyncPass? Read { get; set; }
        public IReadOnlyList<SyncRecord>? Called { get; set; }
        public bool Recorded { get; set; }
    }

    /// <summary>Runs the pass's next phase; true once it recorded.</summary>
    private static async Task<bool> AdvanceAsync(SyncRig sync, Pass pass)
    {
        if (pass.Read is null) pass.Read = await sync.Pusher.ReadAsync(pass.Claimed[0].TenantId, pass.Claimed, CancellationToken.None);
        else if (pass.Called is null) pass.Called = await sync.Pusher.CallAsync(pass.Read, CancellationToken.None);
        else
        {
            await sync.Pusher.RecordAsync(pass.Read, pass.Called, CancellationToken.None);
            pass.Recorded = true;
        }
        return pass.Recorded;
    }
}
