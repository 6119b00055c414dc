using Fairlane.Agents.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Fairlane.Agents.Catalog;

/// <summary>
/// Defines and removes a tenant's channels. Credentials go in encrypted by <see cref="CredentialProtector"/> and
/// never come out of here: reads report only whether a channel has them. Runs inside a tenant-bound transaction.
/// </summary>
internal sealed class CatalogChannels(CredentialProtector protector)
{
    private const string Columns = "SELECT id, type, name, base_url, status, credentials IS NOT NULL FROM channels";

    /// <summary>
    /// Creates or replaces the channel. Saving it makes an auth_failed or misconfigured channel active again (that is
    /// how an operator fixes one); a disabled one stays disabled.
    /// </summary>
    public async Task<CatalogChannel> UpsertAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, ChannelDefinition channel, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO channels AS ch (tenant_id, id, type, name, base_url, credentials, status)
            VALUES (@tenant, @id, @type, @name, @base_url, @credentials, 'active')
            ON CONFLICT (tenant_id, id) DO UPDATE SET
                type = excluded.type, name = excluded.name, base_url = excluded.base_url,
                credentials = CASE WHEN @keep THEN ch.credentials ELSE excluded.credentials END,
                status = CASE WHEN ch.status = 'disabled' THEN 'disabled' ELSE 'active' END
            RETURNING id, type, name, base_url, status, credentials IS NOT NULL
            """, c, tx);
        cmd.Parameters.AddWithValue("tenant", tenant);
        cmd.Parameters.AddWithValue("id", channel.Id);
        cmd.Parameters.AddWithValue("type", channel.Type);
        cmd.Parameters.AddWithValue("name", channel.Name);
        cmd.Parameters.AddWithValue("base_url", channel.BaseUrl.Trim());
        cmd.Parameters.AddWithValue("keep", channel.CredentialsChange == CredentialsChange.Keep);
        cmd.Parameters.Add(new NpgsqlParameter("credentials", NpgsqlDbType.Bytea)
        {
            Value = channel is { CredentialsChange: CredentialsChange.Set, Credentials: { IsEmpty: false } credentials }
                ? protector.Protect(credentials, new ChannelKey(tenant, channel.Id))
                : DBNull.Value,
        });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return Read(reader);
    }

    public static async Task<CatalogChannel?> FindAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, string id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Columns + " WHERE tenant_id = $1 AND id = $2", c, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    public static async Task<List<CatalogChannel>> AllAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Columns + " WHERE tenant_id = $1 ORDER BY id", c, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenant });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var channels = new List<CatalogChannel>();
        while (await reader.ReadAsync(ct)) channels.Add(Read(reader));
        return channels;
    }

    /// <summary>Deletes the channel and its mappings; false when there was none.</summary>
    public static async Task<bool> DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, string id, CancellationToken ct)
    {
        await CatalogStore.DeleteMappingsOfChannelAsync(c, tx, tenant, id, ct);
        await using var cmd = new NpgsqlCommand("DELETE FROM channels WHERE tenant_id = $1 AND id = $2", c, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    private static CatalogChannel Read(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetBoolean(5));
}
