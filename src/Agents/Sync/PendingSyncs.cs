using System.Diagnostics;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Fairlane.Agents.Sync;

/// <summary>A product a pusher claimed: the request count it saw, and which channel not to push back to (null: push to all).</summary>
/// <remarks><paramref name="TraceParents"/>: the W3C contexts of the newest requests folded in (empty when untraced), which the push links to.</remarks>
public sealed record ClaimedSync(string TenantId, string ProductId, long Version, string? ExceptChannelId, DateTimeOffset RequestedAt,
    IReadOnlyList<string>? TraceParents = null);

/// <summary>
/// The sync_pending table: products waiting for their newest level to be pushed. Requests fold into
/// one row per product; a pusher leases rows, pushes, and removes a row only if no request arrived
/// since it claimed it (see V010__sync_pending.sql for the protocol).
/// </summary>
public static class PendingSyncs
{
    // A request for a product already pending folds into its row: one more version (so a pass that
    // claimed an older one keeps it pending), pushed to every channel once two origins mixed, linking
    // to the newest sixteen requests' traces. The first request's due time stands (see MarkAsync).
    private const string Fold = """
        ON CONFLICT (tenant_id, product_id) DO UPDATE SET
            version = s.version + 1,
            origin_mixed = s.origin_mixed OR s.origin_channel_id IS DISTINCT FROM EXCLUDED.origin_channel_id,
            trace_parents = (s.trace_parents || EXCLUDED.trace_parents)[greatest(1, cardinality(s.trace_parents) + cardinality(EXCLUDED.trace_parents) - 15):]
        """;

    /// <summary>
    /// Marks <paramref name="productId"/> pending in the request's transaction. Returns null if the tenant
    /// has no such product, true if the request folded into one already pending, false if it is the first.
    /// </summary>
    public static async Task<bool?> MarkAsync(HandlerContext context, string productId, string? originChannelId, TimeSpan debounce,
        CancellationToken cancellationToken)
    {
        // The debounce runs from the first request: a steady stream of requests is still pushed every window.
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO sync_pending AS s (tenant_id, product_id, origin_channel_id, due_at, trace_parents)
            SELECT p.tenant_id, p.id, @origin, now() + @debounce, @traces FROM products p WHERE p.tenant_id = @tenant AND p.id = @product
            """ + "\n" + Fold + "\nRETURNING s.version > 1", context.Connection, context.Transaction);
        cmd.Parameters.AddWithValue("tenant", context.TenantId);
        cmd.Parameters.AddWithValue("product", productId);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("origin", originChannelId) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("debounce", debounce);
        // The request's trace context (the span processing it), for the push to link to.
        cmd.Parameters.AddWithValue("traces", CurrentTrace());
        return await cmd.ExecuteScalarAsync(cancellationToken) is bool folded ? folded : null;
    }

    /// <summary>
    /// The statement marking several products of the context's tenant pending at once, in product order
    /// (the order a pusher's release locks them in), for a handler whose transaction already holds the
    /// products (the Watcher handing its changes straight to Sync). Origin null: push to every channel.
    /// Returns a row per product: its id and whether it folded into a row already pending.
    /// </summary>
    public static NpgsqlBatchCommand MarkManyCommand(HandlerContext context, IReadOnlyList<(string ProductId, string? OriginChannelId)> products,
        TimeSpan debounce) =>
        BatchCommand.Of("""
            INSERT INTO sync_pending AS s (tenant_id, product_id, origin_channel_id, due_at, trace_parents)
            SELECT $1, u.product_id, u.origin_channel_id, now() + $4, $5::text[]
            FROM unnest($2::text[], $3::text[]) AS u(product_id, origin_channel_id) ORDER BY u.product_id
            """ + "\n" + Fold + "\nRETURNING s.product_id, s.version > 1",
            context.TenantId, products.Select(p => p.ProductId).ToArray(), products.Select(p => p.OriginChannelId).ToArray(), debounce, CurrentTrace());

    // The current trace context (the span processing the request), for the push to link to.
    private static string[] CurrentTrace() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } span ? [span.Id!] : [];

    /// <summary>Locks the pending rows of <paramref name="productIds"/> that exist, in product order, until the transaction ends.</summary>
    public static async Task LockAsync(HandlerContext context, IReadOnlyList<string> productIds, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(context.Connection, context.Transaction);
        GenericPlans.AddTo(batch, [LockCommand(context, productIds)]); // as when a pass releases them
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    // The statement LockAsync runs: product order (sorted by the server, in its collation), the order every
    // writer of these rows takes them in; each row by its key (fit for GenericPlans).
    private static NpgsqlBatchCommand LockCommand(HandlerContext context, IReadOnlyList<string> productIds) =>
        BatchCommand.Of("""
            SELECT 1
            FROM (SELECT DISTINCT k.product_id FROM unnest($2::text[]) AS k(product_id) ORDER BY 1) k,
                 LATERAL (SELECT 1 FROM sync_pending x WHERE x.tenant_id = $1 AND x.product_id = k.product_id FOR UPDATE) l
            """, context.TenantId, productIds.ToArray());

    /// <summary>
    /// Leases due rows across tenants, fairly: at most <paramref name="perTenant"/> products of a tenant,
    /// whole tenants in the order of their oldest due row, none of <paramref name="busyTenants"/> (already
    /// pushing on this node). A fleet-wide job on the owner's connection, like the outbox relay: the rows
    /// it returns are then read and recorded in tenant-bound transactions. It never waits on a row lock
    /// (SKIP LOCKED): a row locked by a request folding into it or by another pusher is left for the next
    /// look, so a claim can neither deadlock with them nor take a row twice.
    /// </summary>
    public static async Task<IReadOnlyList<ClaimedSync>> ClaimAsync(NpgsqlDataSource owner, int perTenant, int limit, TimeSpan lease,
        IReadOnlyCollection<string> busyTenants, CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand("""
            WITH ready AS (
                SELECT tenant_id, product_id,
                       row_number() OVER (PARTITION BY tenant_id ORDER BY due_at) AS rank,
                       min(due_at) OVER (PARTITION BY tenant_id) AS tenant_due
                FROM sync_pending
                WHERE due_at <= now() AND (lease_until IS NULL OR lease_until < now()) AND tenant_id <> ALL(@busy)
            ), picked AS (
                SELECT tenant_id, product_id FROM ready WHERE rank <= @per_tenant
                ORDER BY tenant_due, tenant_id, rank LIMIT @limit
            ), locked AS (
                SELECT s.tenant_id, s.product_id FROM sync_pending s JOIN picked c USING (tenant_id, product_id)
                WHERE s.due_at <= now() AND (s.lease_until IS NULL OR s.lease_until < now())
                FOR UPDATE OF s SKIP LOCKED
            )
            UPDATE sync_pending s SET lease_until = now() + @lease
            FROM locked c
            WHERE s.tenant_id = c.tenant_id AND s.product_id = c.product_id
            RETURNING s.tenant_id, s.product_id, s.version, CASE WHEN s.origin_mixed THEN NULL ELSE s.origin_channel_id END, s.requested_at,
                      s.trace_parents
            """);
        cmd.Parameters.AddWithValue("busy", busyTenants.ToArray());
        cmd.Parameters.AddWithValue("per_tenant", perTenant);
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("lease", lease);
        var claimed = new List<ClaimedSync>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ClaimedSync(reader.GetString(0), reader.GetString(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<string[]>(5)));
        }
        return claimed;
    }

    /// <summary>
    /// The statements that, in the transaction recording the pushes, remove each row no request reached
    /// since the claim, and hand the others back, due now, so the level that arrived meanwhile is pushed next.
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> ReleaseCommands(HandlerContext context, IReadOnlyList<ClaimedSync> claimed)
    {
        // Rows are locked in product order first: two transactions locking the same rows in different
        // orders would deadlock, and the request transactions folding into them run concurrently.
        var products = claimed.Select(c => c.ProductId).ToArray();
        yield return LockCommand(context, products);
        // Then each row by its address, now that it is locked.
        yield return BatchCommand.Of("""
            DELETE FROM sync_pending s
            USING unnest($2::text[], $3::bigint[]) AS c(product_id, version),
                  LATERAL (SELECT x.ctid AS row FROM sync_pending x
                           WHERE x.tenant_id = $1 AND x.product_id = c.product_id AND x.version = c.version OFFSET 0) r
            WHERE s.ctid = r.row
            """, context.TenantId, products, claimed.Select(c => c.Version).ToArray());
        yield return BatchCommand.Of("""
            UPDATE sync_pending s SET lease_until = NULL, due_at = now()
            FROM unnest($2::text[]) AS c(product_id),
                 LATERAL (SELECT x.ctid AS row FROM sync_pending x WHERE x.tenant_id = $1 AND x.product_id = c.product_id OFFSET 0) r
            WHERE s.ctid = r.row
            """, context.TenantId, products);
    }

    /// <summary>
    /// Gives back rows whose push was abandoned (a dependency down, the lease running out, the node
    /// stopping), due again after <paramref name="retryAfter"/>. Best effort: if it fails too, the lease
    /// expires and another pusher takes them.
    /// </summary>
    public static async Task AbandonAsync(NpgsqlDataSource owner, IReadOnlyList<ClaimedSync> claimed, TimeSpan retryAfter,
        CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand("""
            UPDATE sync_pending s SET lease_until = NULL, due_at = now() + @retry
            FROM unnest(@tenants::text[], @products::text[]) AS c(tenant_id, product_id)
            WHERE s.tenant_id = c.tenant_id AND s.product_id = c.product_id
            """);
        cmd.Parameters.AddWithValue("tenants", claimed.Select(c => c.TenantId).ToArray());
        cmd.Parameters.AddWithValue("products", claimed.Select(c => c.ProductId).ToArray());
        cmd.Parameters.AddWithValue("retry", retryAfter);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
