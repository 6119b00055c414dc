using Fairlane.Agents.Channels;
using Fairlane.Agents.Storage;
using Fairlane.ChannelSimulator;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Agents;

/// <summary>
/// A channel secret is used (the simulator refuses calls without it) yet appears neither in the
/// database nor anywhere in the daemon's output, even at debug level and when the channel refuses it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CredentialSecrecyTests
{
    private const string Tenant = "jeweller";
    private const string Secret = "s3cret-that-must-never-show-9d2b";

    [Fact(Timeout = 120_000)]
    public async Task Channel_secrets_are_not_readable_in_the_database_or_the_logs()
    {
        await using var stack = await new StackBuilder().Kafka(1, 3).Tenants(Tenant).InProcessWorkers(0)
            .With("Logging:MinimumLevel", "Debug")
            .StartAsync();
        var (topics, db) = (stack.Topics, stack.Db);
        await using var simulator = await ChannelSimulatorServer.StartAsync(port: 0, seed: 3);

        var good = simulator.Account(ChannelTypes.Wix, "good");
        good.ExpectedCredential = Secret;
        good.SetStock("g-1", 0);
        var refusing = simulator.Account(ChannelTypes.Deliveroo, "refusing");
        refusing.ExpectedCredential = "something-else";
        refusing.SetStock("r-1", 0);
        var store = new ChannelStore(CredentialProtector.FromBase64(TestServers.CredentialKey));
        await new TenantDatabase(db.App).InTenantTransactionAsync(Tenant, async (c, tx, ct) =>
        {
            await store.UpsertAsync(c, tx, new ChannelConnection(Tenant, "good", ChannelTypes.Wix, new Uri(good.BaseUrl), new(null, Secret)), ct);
            await store.UpsertAsync(c, tx, new ChannelConnection(Tenant, "refusing", ChannelTypes.Deliveroo, new Uri(refusing.BaseUrl), new(null, Secret)), ct);
            await store.UpsertAsync(c, tx, new ChannelConnection(Tenant, "source", ChannelTypes.Wix, new Uri(good.BaseUrl), new(null, Secret)), ct);
            return 0;
        }, CancellationToken.None);
        await Catalog.SeedAsync(db, Tenant, [], [new("p1", 10)], [new("p1", "good", "g-1"), new("p1", "refusing", "r-1"), new("p1", "source", "s-1")]);

        var worker = stack.StartProcess(FreePort.Next());
        var producer = stack.Producer;
        await producer.ProduceAsync(topics.Webhooks, EnvelopeCodec.Create(Tenant, EventTypes.StockChanged,
            new StockChanged { ChannelId = "source", ChannelType = ChannelTypes.Wix, ExternalId = "s-1", Quantity = 7, Sequence = 1 },
            FairlaneJsonContext.Default.StockChanged));

        // The push reached the channel that takes the secret, and the other one refused it.
        await Eventually.WaitAsync(() => Task.FromResult(good.GetStock("g-1")), n => n == 7, TimeSpan.FromSeconds(60), "the push to the good channel");
        await Eventually.WaitAsync(() => db.ScalarAsync<string>("SELECT status FROM channels WHERE id = 'refusing'"), s => s == "auth_failed",
            TimeSpan.FromSeconds(60), "the refusing channel marked auth_failed");
        worker.Terminate();
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        Assert.DoesNotContain(Secret, worker.StandardOutput + worker.StandardError);
        Assert.Contains("refusing", worker.StandardOutput + worker.StandardError); // the logs do talk about the channel
        Assert.Equal(0, await db.ScalarAsync<long>(
            $"SELECT count(*) FROM channels WHERE position(convert_to('{Secret}', 'UTF8') in coalesce(credentials, ''::bytea)) > 0 OR name LIKE '%{Secret}%' OR base_url LIKE '%{Secret}%'"));
        Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM sync_events WHERE results::text LIKE '%{Secret}%'"));
    }
}
