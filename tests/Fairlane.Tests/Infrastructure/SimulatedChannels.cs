using Fairlane.Agents.Channels;
using Fairlane.Agents.Storage;
using Fairlane.ChannelSimulator;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// A tenant's channels stored as the daemon stores them (credentials encrypted with the test key),
/// each backed by its own account on the channel simulator, which demands those credentials.
/// </summary>
internal static class SimulatedChannels
{
    public static string SecretOf(string tenant, string channelId) => $"do-not-leak-{tenant}-{channelId}-4f1c9e";

    /// <summary>Creates the channels and their simulator accounts; returns the accounts by channel id.</summary>
    public static async Task<Dictionary<string, SimulatedAccount>> AddAsync(TestDatabase db, ChannelSimulatorServer simulator, string tenant,
        params (string Id, string Type)[] channels)
    {
        var accounts = new Dictionary<string, SimulatedAccount>(StringComparer.Ordinal);
        foreach (var (id, type) in channels)
        {
            var account = simulator.Account(type, $"{tenant}-{id}");
            account.ExpectedCredential = type == ChannelTypes.EposNow ? $"{tenant}-key:{SecretOf(tenant, id)}" : SecretOf(tenant, id);
            await SaveAsync(db, tenant, id, account);
            accounts[id] = account;
        }
        return accounts;
    }

    /// <summary>
    /// Saves (again) the channel of an account with the credentials the account expects, encrypted with the test
    /// key unless <paramref name="credentialKey"/> names another (credentials the daemon cannot decrypt).
    /// </summary>
    public static Task SaveAsync(TestDatabase db, string tenant, string id, SimulatedAccount account, byte[]? credentialKey = null)
    {
        var store = new ChannelStore(credentialKey is null ? CredentialProtector.FromBase64(TestServers.CredentialKey) : new CredentialProtector(credentialKey));
        var credentials = new ChannelCredentials(account.ChannelType == ChannelTypes.EposNow ? $"{tenant}-key" : null, SecretOf(tenant, id));
        return new TenantDatabase(db.App).InTenantTransactionAsync(tenant, async (c, tx, ct) =>
        {
            await store.UpsertAsync(c, tx, new ChannelConnection(tenant, id, account.ChannelType, new Uri(account.BaseUrl), credentials), ct);
            return 0;
        }, CancellationToken.None);
    }
}
