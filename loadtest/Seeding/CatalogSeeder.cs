using Fairlane.Agents.Channels;
using Fairlane.Agents.Storage;
using Fairlane.ChannelSimulator;
using Fairlane.LoadTest.Scenarios;
using Fairlane.LoadTest.Stack;
using Npgsql;
using ChannelTypes = Fairlane.Agents.Channels.ChannelTypes;

namespace Fairlane.LoadTest.Seeding;

/// <summary>
/// Registers the plan's tenants and gives each a catalog: products, the three channels (credentials
/// encrypted with the run's key through <see cref="ChannelStore"/>, exactly as the daemon stores
/// them, and demanded by the simulator account behind each channel) and a mapping of every product
/// on every channel. Webhooks then name mapped items, so they flow Watcher → outbox → Sync → pushes.
/// </summary>
internal sealed class CatalogSeeder(ChannelSimulatorServer simulator, string credentialKey)
{
    public const int InitialStock = 100;

    /// <summary>Seeds one database; the simulator accounts are set up once, for the first.</summary>
    public async Task SeedAsync(RunDatabase db, LoadPlan plan, bool setUpSimulator, ChannelDrift? drift, CancellationToken cancellationToken)
    {
        await RegisterTenantsAsync(db, plan, cancellationToken);
        await StoreChannelsAsync(db, plan, setUpSimulator, cancellationToken);
        await InsertProductsAndMappingsAsync(db, plan, cancellationToken);
        if (setUpSimulator) StockSimulator(plan, drift ?? ChannelDrift.None);
    }

    public static string AccountName(string tenant, TenantChannel channel) => $"{tenant}-{channel.Id}";

    public static string SecretOf(string tenant, TenantChannel channel) => $"load-secret-{tenant}-{channel.Id}";

    private static async Task RegisterTenantsAsync(RunDatabase db, LoadPlan plan, CancellationToken cancellationToken)
    {
        await using var cmd = db.Owner.CreateCommand("""
            INSERT INTO tenants (id, name, concurrency) SELECT t, 'load test', c FROM unnest(@ids, @concurrency) AS x(t, c)
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("ids", plan.Tenants.Select(t => t.Tenant).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<int[]>("concurrency", plan.Tenants.Select(t => t.Concurrency).ToArray()));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    // Through the daemon's own ChannelStore, in each tenant's bound transaction as the app role.
    private async Task StoreChannelsAsync(RunDatabase db, LoadPlan plan, bool setUpSimulator, CancellationToken cancellationToken)
    {
        var store = new ChannelStore(CredentialProtector.FromBase64(credentialKey));
        var tenants = new TenantDatabase(db.App);
        await Parallel.ForEachAsync(plan.Tenants, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (tenant, ct) =>
            {
                await tenants.InTenantTransactionAsync(tenant.Tenant, async (c, tx, t) =>
                {
                    foreach (var channel in TenantChannel.All)
                    {
                        var account = simulator.Account(channel.Type, AccountName(tenant.Tenant, channel));
                        var credentials = new ChannelCredentials(channel.Type == ChannelTypes.EposNow ? $"{tenant.Tenant}-key" : null, SecretOf(tenant.Tenant, channel));
                        if (setUpSimulator)
                            account.ExpectedCredential = channel.Type == ChannelTypes.EposNow ? $"{credentials.ApiKey}:{credentials.Secret}" : credentials.Secret;
                        await store.UpsertAsync(c, tx, new ChannelConnection(tenant.Tenant, channel.Id, channel.Type, new Uri(account.BaseUrl), credentials), t);
                    }
                    return 0;
                }, ct);
            });
    }

    private static async Task InsertProductsAndMappingsAsync(RunDatabase db, LoadPlan plan, CancellationToken cancellationToken)
    {
        var products = plan.Tenants.SelectMany(t => Enumerable.Range(0, plan.ProductsPerTenant).Select(p => (t.Tenant, Product: p))).ToList();
        await using (var cmd = db.Owner.CreateCommand("INSERT INTO products (tenant_id, id, stock) SELECT t, p, @stock FROM unnest(@tenants, @ids) AS x(t, p)"))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("tenants", products.Select(x => x.Tenant).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("ids", products.Select(x => TenantChannel.ProductId(x.Product)).ToArray()));
            cmd.Parameters.AddWithValue("stock", InitialStock);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        var mappings = products.SelectMany(x => TenantChannel.All.Select(c => (x.Tenant, x.Product, Channel: c))).ToList();
        await using (var cmd = db.Owner.CreateCommand("""
            INSERT INTO product_channel_mappings (tenant_id, product_id, channel_id, external_id)
            SELECT t, p, c, e FROM unnest(@tenants, @products, @channels, @externals) AS x(t, p, c, e)
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("tenants", mappings.Select(m => m.Tenant).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("products", mappings.Select(m => TenantChannel.ProductId(m.Product)).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("channels", mappings.Select(m => m.Channel.Id).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("externals", mappings.Select(m => m.Channel.ExternalId(m.Product)).ToArray()));
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // Every channel starts level with internal stock, except where the drift says otherwise.
    private void StockSimulator(LoadPlan plan, ChannelDrift drift)
    {
        foreach (var tenant in plan.Tenants)
        {
            foreach (var channel in TenantChannel.All)
            {
                var items = Enumerable.Range(0, plan.ProductsPerTenant)
                    .Select(p => KeyValuePair.Create(channel.ExternalId(p), InitialStock + drift.Of(tenant.Tenant, channel.Id, p)));
                simulator.Account(channel.Type, AccountName(tenant.Tenant, channel)).SetStock(items);
            }
        }
    }
}
