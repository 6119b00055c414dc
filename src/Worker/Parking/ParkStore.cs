using System.Text.Json;
using Fairlane.Partitioning.Offsets;
using Fairlane.Worker.Engine;
using Npgsql;
using NpgsqlTypes;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Parking;

/// <summary>A parked event as stored: its original record and where it came from.</summary>
internal sealed record ParkedRow(long Id, string Tenant, long Offset, string Key, byte[] Value, IReadOnlyList<KeyValuePair<string, byte[]>> Headers);

/// <summary>
/// The parked_events table, used fleet-wide by the partition's owner (so through the owner's
/// connection: a batch spans tenants). Row-level security still guards the application role.
/// </summary>
internal sealed class ParkStore(DataSources dataSources)
{
    /// <summary>Writes a batch in one statement; a record parked twice (re-delivery) is kept once.</summary>
    public async Task WriteAsync(IReadOnlyList<(EngineEvent Event, string Reason)> batch, CancellationToken cancellationToken)
    {
        await using var cmd = dataSources.Owner.CreateCommand("""
            INSERT INTO parked_events (tenant_id, topic, partition, "offset", key, value, headers, reason)
            SELECT * FROM unnest(@tenants, @topics, @partitions, @offsets, @keys, @values, @headers, @reasons)
            ON CONFLICT (topic, partition, "offset") DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("tenants", batch.Select(b => b.Event.Tenant).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("topics", batch.Select(b => b.Event.Partition.Topic).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<int[]>("partitions", batch.Select(b => b.Event.Partition.Partition).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("offsets", batch.Select(b => b.Event.Offset).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("keys", batch.Select(b => b.Event.Key).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<byte[][]>("values", batch.Select(b => b.Event.Value).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter("headers", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            { Value = batch.Select(b => EncodeHeaders(b.Event.Headers)).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("reasons", batch.Select(b => b.Reason).ToArray()));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The tenants with parked events in a partition and the highest offset of each (read when it is assigned).</summary>
    public async Task<List<(string Tenant, long HighestOffset)>> TenantsWithRowsAsync(PartitionKey partition, CancellationToken cancellationToken)
    {
        await using var cmd = dataSources.Owner.CreateCommand(
            """SELECT tenant_id, max("offset") FROM parked_events WHERE topic = @topic AND partition = @partition GROUP BY tenant_id""");
        cmd.Parameters.AddWithValue("topic", partition.Topic);
        cmd.Parameters.AddWithValue("partition", partition.Partition);
        var tenants = new List<(string, long)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tenants.Add((reader.GetString(0), reader.GetInt64(1)));
        return tenants;
    }

    /// <summary>A tenant's next parked events of a partition strictly between two offsets, in offset order.</summary>
    public async Task<List<ParkedRow>> LoadAsync(PartitionKey partition, string tenant, long after, long before, int limit, CancellationToken cancellationToken)
    {
        await using var cmd = dataSources.Owner.CreateCommand("""
            SELECT id, "offset", key, value, headers FROM parked_events
            WHERE topic = @topic AND partition = @partition AND tenant_id = @tenant AND "offset" > @after AND "offset" < @before
            ORDER BY "offset" LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("topic", partition.Topic);
        cmd.Parameters.AddWithValue("partition", partition.Partition);
        cmd.Parameters.AddWithValue("tenant", tenant);
        cmd.Parameters.AddWithValue("after", after);
        cmd.Parameters.AddWithValue("before", before);
        cmd.Parameters.AddWithValue("limit", limit);
        var rows = new List<ParkedRow>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ParkedRow(reader.GetInt64(0), tenant, reader.GetInt64(1), reader.GetString(2),
                reader.GetFieldValue<byte[]>(3), DecodeHeaders(reader.GetString(4))));
        }
        return rows;
    }

    // Headers as [[name, base64], ...]: names may repeat and values are bytes.
    private static string EncodeHeaders(IReadOnlyList<KeyValuePair<string, byte[]>> headers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var (name, value) in headers)
            {
                json.WriteStartArray();
                json.WriteStringValue(name);
                json.WriteBase64StringValue(value);
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static List<KeyValuePair<string, byte[]>> DecodeHeaders(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array) return [];
        return document.RootElement.EnumerateArray()
            .Select(pair => KeyValuePair.Create(pair[0].GetString()!, pair[1].GetBytesFromBase64()))
            .ToList();
    }
}
