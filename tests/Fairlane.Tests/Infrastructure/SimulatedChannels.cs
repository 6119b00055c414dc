using Fairlane.Agents.Channels;
using Fairlane.Agents.Channels.Credentials;
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
        var store = new ChannelStore(CredentialProtector.FromBase64(TestServers.CredentialKey));
        var accounts = new Dictionary<string, SimulatedAccount>(StringComparer.Ordinal);
        foreach (var (id, type) in channels)
        {
            var account = simulator.Account(type, $"{tenant}-{id}");
            var credentials = new ChannelCredentials(type == ChannelTypes.EposNow ? $"{tenant}-key" : null, SecretOf(tenant, id));
            account.ExpectedCredential = type == ChannelTypes.EposNow ? $"{credentials.ApiKey}:{credentials.Secret}" : credentials.Secret;
            await new TenantDatabase(db.App).InTenantTransactionAsync(tenant, async (c, tx, ct) =>
            {
                await store.UpsertAsync(c, tx, new ChannelConnection(tenant, id, type, new Uri(account.BaseUrl), credentials), ct);
                return 0;
            }, CancellationToken.None);
            accounts[id] = account;
        }
        return accounts;
    }
}
