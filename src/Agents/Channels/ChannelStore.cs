using Fairlane.Agents.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Fairlane.Agents.Channels;

/// <summary>
/// A tenant's channels in the channels table, credentials encrypted on the way in and decrypted on
/// the way out. Every method works inside a transaction already bound to the tenant (see
/// <see cref="Storage.TenantDatabase"/>), and also filters by tenant, so row-level security and the query agree.
/// </summary>
public sealed class ChannelStore(CredentialProtector protector)
{
    /// <summary>Creates the channel or replaces its type, name, base URL, credentials and status.</summary>
    public async Task UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, ChannelConnection channel, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO channels (tenant_id, id, type, name, base_url, credentials, status)
            VALUES (@tenant, @id, @type, @name, @base_url, @credentials, @status)
            ON CONFLICT (tenant_id, id) DO UPDATE SET
                type = excluded.type, name = excluded.name, base_url = excluded.base_url,
                credentials = excluded.credentials, status = excluded.status
            """, connection, tx);
        cmd.Parameters.AddWithValue("tenant", channel.TenantId);
        cmd.Parameters.AddWithValue("id", channel.ChannelId);
        cmd.Parameters.AddWithValue("type", channel.Type);
        cmd.Parameters.AddWithValue("name", channel.Name);
        cmd.Parameters.AddWithValue("base_url", channel.BaseUrl.AbsoluteUri);
        cmd.Parameters.Add(new NpgsqlParameter("credentials", NpgsqlDbType.Bytea)
        {
            Value = channel.Credentials.IsEmpty ? DBNull.Value : protector.Protect(channel.Credentials, channel.Key),
        });
        cmd.Parameters.AddWithValue("status", channel.Status.ToName());
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The channel, or null when the tenant has no channel of that id.</summary>
    public async Task<ChannelConnection?> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, string channelId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(SelectColumns + " WHERE tenant_id = @tenant AND id = @id", connection, tx);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("id", channelId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Every channel of the tenant, by id.</summary>
    public async Task<IReadOnlyList<ChannelConnection>> ReadAllAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { ReadAllCommand(tenantId) } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadAllAsync(reader, cancellationToken);
    }

    /// <summary>The statement of <see cref="ReadAllAsync(NpgsqlConnection, NpgsqlTransaction, string, CancellationToken)"/>, for a batch that reads it with <see cref="ReadAllAsync(NpgsqlDataReader, CancellationToken)"/>.</summary>
    public static NpgsqlBatchCommand ReadAllCommand(string tenantId) => BatchCommand.Of(SelectColumns + " WHERE tenant_id = $1 ORDER BY id", tenantId);

    /// <summary>The channels in the reader's current result set, that of <see cref="ReadAllCommand"/>.</summary>
    public async Task<IReadOnlyList<ChannelConnection>> ReadAllAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var channels = new List<ChannelConnection>();
        while (await reader.ReadAsync(cancellationToken)) channels.Add(Read(reader));
        return channels;
    }

    /// <summary>The statement setting a channel's status, for a writer that sends it in a batch with its own.</summary>
    public static NpgsqlBatchCommand SetStatusCommand(string tenantId, string channelId, ChannelStatus status) =>
        BatchCommand.Of("UPDATE channels SET status = $1 WHERE tenant_id = $2 AND id = $3", status.ToName(), tenantId, channelId);

    /// <summary>Sets the channel's status (e.g. auth_failed after a 401); false when there is no such channel.</summary>
    public static async Task<bool> SetStatusAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, string channelId, ChannelStatus status, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { SetStatusCommand(tenantId, channelId, status) } };
        return await batch.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Moves the channel from one status to another; false when it was not in <paramref name="from"/> (someone else moved it first).</summary>
    public static async Task<bool> ChangeStatusAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, string channelId,
        ChannelStatus from, ChannelStatus to, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            "UPDATE channels SET status = @to WHERE tenant_id = @tenant AND id = @id AND status = @from", connection, tx);
        cmd.Parameters.AddWithValue("to", to.ToName());
        cmd.Parameters.AddWithValue("from", from.ToName());
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("id", channelId);
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private const string SelectColumns = "SELECT tenant_id, id, type, name, base_url, credentials, status FROM channels";

    // A row whose base URL or credentials cannot be used still reads back, with the reason in Problem and
    // its stored status: one bad channel must not fail every sync and reconciliation of its tenant
    // (TenantChannels marks it misconfigured and skips it).
    private ChannelConnection Read(NpgsqlDataReader r)
    {
        var key = new ChannelKey(r.GetString(0), r.GetString(1));
        _ = ChannelConfiguration.TryParseBaseUrl(r.GetString(4), out var url, out var problem);
        var credentials = ChannelCredentials.None;
        if (!r.IsDBNull(5))
        {
            try
            {
                credentials = protector.Unprotect(r.GetFieldValue<byte[]>(5), key);
            }
            catch (CredentialDecryptionException ex)
            {
                problem = problem is null ? ex.Message : $"{problem}; {ex.Message}";
            }
        }
        return new ChannelConnection(key.TenantId, key.ChannelId, r.GetString(2), url, credentials)
        {
            Name = r.GetString(3),
            Status = ChannelStatusNames.Parse(r.GetString(6)),
            Problem = problem,
        };
    }
}
