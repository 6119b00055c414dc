using System.Security.Cryptography;
using System.Text;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Storage;
using Fairlane.Tests.Infrastructure;
using Npgsql;

namespace Fairlane.Tests.Agents.Channels;

/// <summary>Channels in PostgreSQL: encrypted at rest, decrypted on read, scoped to the bound tenant.</summary>
[Trait("Category", "Integration")]
public sealed class ChannelStoreTests : IAsyncLifetime
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(CredentialProtector.KeySize);

    private TestDatabase _db = null!;
    private TenantDatabase _tenants = null!;
    private readonly ChannelStore _store = new(new CredentialProtector(Key));

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _tenants = new TenantDatabase(_db.App);
        await _db.RegisterTenantsAsync(["tenant-a", "tenant-b"]);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<T> AsTenant<T>(string tenant, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work) =>
        _tenants.InTenantTransactionAsync(tenant, (c, tx, _) => work(c, tx), CancellationToken.None);

    private Task Save(ChannelConnection channel, ChannelStore? store = null) =>
        AsTenant(channel.TenantId, async (c, tx) =>
        {
            await (store ?? _store).UpsertAsync(c, tx, channel, CancellationToken.None);
            return true;
        });

    private static ChannelConnection Channel(string tenant, string id, string type = ChannelTypes.EposNow, string secret = "s3cr3t-Value-9b1c") =>
        new(tenant, id, type, new Uri($"https://{type}.example.test/{tenant}/{id}"), new ChannelCredentials("api-key-7f3a", secret)) { Name = $"{id} of {tenant}" };

    [Fact(Timeout = 60_000)]
    public async Task Credentials_round_trip_while_the_column_holds_no_plaintext()
    {
        var channel = Channel("tenant-a", "pos");
        await Save(channel);

        var read = await AsTenant("tenant-a", (c, tx) => _store.ReadAsync(c, tx, "tenant-a", "pos", CancellationToken.None));

        Assert.Equal(channel, read);
        var raw = await _db.ScalarAsync<byte[]>("SELECT credentials FROM channels WHERE tenant_id = 'tenant-a' AND id = 'pos'");
        Assert.Equal(CredentialProtector.FormatVersion, raw[0]);
        foreach (var secret in new[] { channel.Credentials.Secret, channel.Credentials.ApiKey! })
        {
            Assert.Equal(-1, raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, raw.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
            Assert.Equal(-1, raw.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)))));
        }
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM channels WHERE position('s3cr3t' in encode(credentials, 'escape')) > 0"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Saving_again_replaces_settings_and_credentials()
    {
        await Save(Channel("tenant-a", "shop", ChannelTypes.Wix, secret: "first-token"));
        var replaced = Channel("tenant-a", "shop", ChannelTypes.Wix, secret: "second-token") with
        {
            BaseUrl = new Uri("https://other.example.test/wix/"),
            Status = ChannelStatus.Disabled,
        };
        await Save(replaced);

        var read = await AsTenant("tenant-a", (c, tx) => _store.ReadAsync(c, tx, "tenant-a", "shop", CancellationToken.None));

        Assert.Equal(replaced, read);
        Assert.Equal("second-token", read!.Credentials.Secret);
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM channels"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Reading_all_returns_the_bound_tenants_channels_only()
    {
        await Save(Channel("tenant-a", "pos"));
        await Save(Channel("tenant-a", "menu", ChannelTypes.Deliveroo) with { Credentials = ChannelCredentials.None });
        await Save(Channel("tenant-b", "shop", ChannelTypes.Wix));

        var ofA = await AsTenant("tenant-a", (c, tx) => _store.ReadAllAsync(c, tx, "tenant-a", CancellationToken.None));
        var bFromA = await AsTenant("tenant-a", (c, tx) => _store.ReadAsync(c, tx, "tenant-b", "shop", CancellationToken.None));

        Assert.Equal(["menu", "pos"], ofA.Select(ch => ch.ChannelId));
        Assert.Equal(ChannelCredentials.None, ofA[0].Credentials);
        Assert.Equal("s3cr3t-Value-9b1c", ofA[1].Credentials.Secret);
        Assert.Null(bFromA);
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM channels WHERE credentials IS NULL"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Reading_with_another_key_reads_the_channel_back_with_a_clear_problem()
    {
        await Save(Channel("tenant-a", "pos"));
        var otherKey = new ChannelStore(new CredentialProtector(RandomNumberGenerator.GetBytes(32)));

        var read = await AsTenant("tenant-a", (c, tx) => otherKey.ReadAsync(c, tx, "tenant-a", "pos", CancellationToken.None));

        Assert.Equal(ChannelCredentials.None, read!.Credentials);
        Assert.Contains("Channels:CredentialKey", read.Problem, StringComparison.Ordinal);
        Assert.Contains("tenant-a/pos", read.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", read.Problem, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("/api/v1", "not an absolute URL")]
    [InlineData("shop.example.test/api", "not an absolute URL")]
    [InlineData("ftp://user:hunter2@shop.example.test/api", "scheme 'ftp'")]
    public async Task A_base_url_that_cannot_be_called_reads_back_with_the_problem_and_never_the_url(string baseUrl, string problem)
    {
        await Save(Channel("tenant-a", "pos"));
        await _db.ExecuteAsync($"UPDATE channels SET base_url = '{baseUrl}' WHERE id = 'pos'");

        var read = await AsTenant("tenant-a", (c, tx) => _store.ReadAsync(c, tx, "tenant-a", "pos", CancellationToken.None));

        Assert.Contains(problem, read!.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", read.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", read.ToString(), StringComparison.Ordinal);
        Assert.Equal("s3cr3t-Value-9b1c", read.Credentials.Secret); // the credentials are fine; only the URL is wrong
    }

    [Fact(Timeout = 60_000)]
    public async Task A_channel_marked_auth_failed_reads_back_so()
    {
        await Save(Channel("tenant-a", "pos"));

        Assert.True(await AsTenant("tenant-a", (c, tx) =>
            ChannelStore.SetStatusAsync(c, tx, "tenant-a", "pos", ChannelStatus.AuthFailed, CancellationToken.None)));
        Assert.False(await AsTenant("tenant-a", (c, tx) =>
            ChannelStore.SetStatusAsync(c, tx, "tenant-a", "missing", ChannelStatus.AuthFailed, CancellationToken.None)));

        var read = await AsTenant("tenant-a", (c, tx) => _store.ReadAsync(c, tx, "tenant-a", "pos", CancellationToken.None));
        Assert.Equal(ChannelStatus.AuthFailed, read!.Status);
        Assert.Equal("auth_failed", await _db.ScalarAsync<string>("SELECT status FROM channels WHERE id = 'pos'"));
    }
}
