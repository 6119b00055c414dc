using System.Text.Json;
using Fairlane.Agents.Alerting;
using Fairlane.Agents.Bus;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Inventory;
using Fairlane.Agents.Outbox;
using Fairlane.Agents.Storage;
using Fairlane.Contracts.Events;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fairlane.Agents.Sync;

/// <summary>
/// One pass over claimed products, of one tenant or many, with no transaction open while a channel
/// answers: read each product's level and items in a short transaction (one for the whole pass, bound to
/// each tenant in turn), push every channel's share in that channel's batch size (tenants and channels
/// side by side, a few calls per channel at once), then record the results and release the claims in a
/// second short transaction. Pushes are absolute levels, so a pass repeated
/// after a crash is harmless. Each call goes through the channel's resilience pipeline; a channel that
/// still fails is recorded as failed (the next change or the Guardian brings it level), refused
/// credentials mark it auth_failed, unhealthy channels get an alert check, and each product's outcome is
/// announced on the event bus once committed.
/// </summary>
public sealed partial class SyncPusher(TenantDatabase database, ChannelStore channels, ChannelAdapters adapters, IEventBus bus,
    ISyncObserver observer, SyncPushOptions options, ILogger<SyncPusher> logger)
{
    /// <summary>A whole pass over claimed products of one tenant or many: read, call the channels, record.</summary>
    public async Task PushAsync(IReadOnlyList<ClaimedSync> claimed, CancellationToken cancellationToken)
    {
        var passes = await ReadAsync(claimed, cancellationToken);
        var records = await Task.WhenAll(passes.Select(pass => CallAsync(pass, cancellationToken)));
        await RecordAsync(passes.Zip(records).ToList(), cancellationToken);
    }

    /// <summary>
    /// The pass's first phase, in one short transaction and one round trip however many tenants it
    /// covers (bound to each in turn): each claimed product's level, items and open sync events, its
    /// tenant's channels and the channels with an open alert. Only a channel whose stored status is no
    /// longer true (misconfigured, or fixed) costs more: the tenant is bound again to store the change.
    /// </summary>
    public async Task<IReadOnlyList<SyncPass>> ReadAsync(IReadOnlyList<ClaimedSync> claimed, CancellationToken cancellationToken) =>
        await database.InTransactionForTenantsAsync(async (c, tx, ct) =>
        {
            var tenants = claimed.GroupBy(x => x.TenantId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            if (tenants.Count == 0) return [];
            await using var batch = new NpgsqlBatch(c, tx);
            foreach (var tenant in tenants)
            {
                batch.BatchCommands.Add(TenantDatabase.BindCommand(tenant.Key));
                // The targets reach their rows by key: planned once per connection. The reads of the
                // tenant's channels and open alerts take all of them, and are planned each time.
                GenericPlans.AddTo(batch, [SyncStore.ReadTargetsCommand(tenant.Key, tenant.Select(x => x.ProductId).ToList())]);
                batch.BatchCommands.Add(ChannelStore.ReadAllCommand(tenant.Key));
                // Read here, not while recording: the record transaction holds row locks and should not wait on reads.
                batch.BatchCommands.Add(AlertStore.OpenSubjectsCommand(tenant.Key, [AlertKinds.ChannelStatus, AlertKinds.SyncHealth]));
            }
            var read = new List<(IGrouping<string, ClaimedSync> Tenant, IReadOnlyList<SyncTarget> Targets, IReadOnlyList<ChannelConnection> Channels,
                HashSet<string> Alerted)>();
            await using (var reader = await batch.ExecuteReaderAsync(ct))
            {
                foreach (var tenant in tenants)
                {
                    // Positioned on the binding's result; each of the tenant's reads follows it.
                    await reader.NextResultAsync(ct);
                    var targets = await SyncStore.ReadTargetsAsync(reader, ct);
                    await reader.NextResultAsync(ct);
                    var channelsRead = await channels.ReadAllAsync(reader, ct);
                    await reader.NextResultAsync(ct);
                    read.Add((tenant, targets, channelsRead, await AlertStore.ReadSubjectsAsync(reader, ct)));
                    await reader.NextResultAsync(ct);
                }
            }

            var passes = new List<SyncPass>();
            foreach (var (tenant, targets, channelsRead, alerted) in read)
            {
                var context = new HandlerContext(c, tx, tenant.Key, default);
                var connections = targets.Any(t => t.Items.Count > 0)
                    ? await TenantChannels.SettleAsync(channelsRead, context, CauseOf(targets), logger, ct)
                    : [];
                passes.Add(new SyncPass(tenant.Key, [.. tenant], targets, connections, targets.Count > 0 ? alerted : []));
            }
            return passes;
        }, cancellationToken);

    /// <summary>One tenant's share of <see cref="ReadAsync(IReadOnlyList{ClaimedSync}, CancellationToken)"/>.</summary>
    public async Task<SyncPass> ReadAsync(string tenantId, IReadOnlyList<ClaimedSync> claimed, CancellationToken cancellationToken) =>
        (await ReadAsync(claimed.Where(c => c.TenantId == tenantId).ToList(), cancellationToken)).Single();

    /// <summary>The second phase, with no transaction open: every channel's share pushed; one record per product.</summary>
    public async Task<IReadOnlyList<SyncRecord>> CallAsync(SyncPass pass, CancellationToken cancellationToken)
    {
        var except = pass.Claimed.ToDictionary(c => c.ProductId, c => c.ExceptChannelId, StringComparer.Ordinal);
        var shares = pass.Targets
            .SelectMany(t => t.Items.Where(i => i.ChannelId != except[t.ProductId]).Select(i => (Target: t, i.ChannelId, i.ExternalId)))
            .GroupBy(s => s.ChannelId);
        var pushed = (await Task.WhenAll(shares.Select(share =>
            PushChannelAsync(pass.TenantId, pass.Connections.GetValueOrDefault(share.Key), share.Key, share.Select(s => (s.Target, s.ExternalId)).ToList(),
                cancellationToken)))).SelectMany(p => p).ToLookup(r => r.ProductId, r => r.Result, StringComparer.Ordinal);
        return pass.Targets.Select(t => Summarize(t, pushed[t.ProductId])).ToList();
    }

    /// <summary>
    /// The last phase, in a second short transaction over all the pass's tenants (bound to each in turn):
    /// the results recorded, refused credentials marked, alert checks asked for, and the claims released
    /// (kept pending where a request arrived meanwhile); then each product's outcome announced.
    /// </summary>
    public async Task RecordAsync(IReadOnlyList<(SyncPass Pass, IReadOnlyList<SyncRecord> Records)> passes, CancellationToken cancellationToken)
    {
        // One round trip for the whole pass, however many tenants (each bound in turn): the rows it locks
        // are held for as long as that takes, not for a chain of round trips per tenant.
        await database.InTransactionForTenantsAsync(async (c, tx, ct) =>
        {
            // Every statement recording a pass reaches its rows by key, or inserts: planned once per connection.
            await using var batch = new NpgsqlBatch(c, tx);
            var statements = new List<NpgsqlBatchCommand>();
            foreach (var (pass, records) in passes)
            {
                var context = new HandlerContext(c, tx, pass.TenantId, default);
                var results = records.SelectMany(r => r.Results).ToList();
                statements.AddRange(
                [
                    TenantDatabase.BindCommand(pass.TenantId),
                    .. SyncStore.RecordCommands(context, records),
                    .. results.Where(r => r.Outcome == SyncOutcomes.AuthFailed).Select(r => r.ChannelId).Distinct()
                        .Select(refused => ChannelStore.SetStatusCommand(pass.TenantId, refused, ChannelStatus.AuthFailed)),
                    .. CheckCommands(context, CauseOf(pass.Targets), results, pass.OpenAlerts),
                    .. PendingSyncs.ReleaseCommands(context, pass.Claimed),
                ]);
            }
            GenericPlans.AddTo(batch, statements);
            await batch.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);

        var now = DateTimeOffset.UtcNow;
        foreach (var (pass, records) in passes)
        {
            var requestedAt = pass.Claimed.ToDictionary(c => c.ProductId, c => c.RequestedAt, StringComparer.Ordinal);
            foreach (var record in records)
            {
                var notice = new SyncCompletedNotice(record.Target.ProductId, record.Target.OpenSyncEvents.DefaultIfEmpty().Max(), record.Status,
                    record.Target.ChannelQuantity, record.Results);
                observer.Pushed(record.Status, now - requestedAt[record.Target.ProductId]);
                await PublishAsync(new BusNotice(BusNotice.SyncCompleted, pass.TenantId, now,
                    JsonSerializer.SerializeToElement(notice, AgentsJsonContext.Default.SyncCompletedNotice)), cancellationToken);
            }
        }
    }

    /// <summary>One tenant's <see cref="RecordAsync(IReadOnlyList{ValueTuple{SyncPass, IReadOnlyList{SyncRecord}}}, CancellationToken)"/>.</summary>
    public Task RecordAsync(SyncPass pass, IReadOnlyList<SyncRecord> records, CancellationToken cancellationToken) =>
        RecordAsync([(pass, records)], cancellationToken);

    private static SyncRecord Summarize(SyncTarget target, IEnumerable<ChannelSyncResult> results)
    {
        var list = results.ToList();
        var ok = list.Where(r => r.Outcome == SyncOutcomes.Ok).Select(r => r.ChannelId).ToList();
        var status = ok.Count == list.Count ? "completed" : ok.Count == 0 ? "failed" : "partial";
        return new SyncRecord(target, status, ok, list);
    }

    // Alert checks and channel-status checks derive their ids from the newest sync event the pass
    // completes, so a pass repeated after a crash asks once.
    private static string CauseOf(IReadOnlyList<SyncTarget> targets) =>
        targets.SelectMany(t => t.OpenSyncEvents).DefaultIfEmpty().Max() is var newest and > 0 ? $"sync-{newest}" : $"sync-{Guid.NewGuid():N}";

    private async Task PublishAsync(BusNotice notice, CancellationToken cancellationToken)
    {
        try
        {
            await bus.PublishAsync(notice, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Notices are best effort: the results are recorded already.
            LogNoticeFailed(logger, ex, notice.TenantId);
        }
    }

    // A failing channel gets its health checked (opening alerts); a channel that works again after an
    // alert gets one too (resolving it). One check per channel, whatever the number of products.
    private static IEnumerable<NpgsqlBatchCommand> CheckCommands(HandlerContext context, string cause, List<ChannelSyncResult> results,
        IReadOnlySet<string> alerted) =>
        results.Where(r => r.Outcome is not (SyncOutcomes.Ok or SyncOutcomes.Skipped) || alerted.Contains(r.ChannelId))
            .Select(r => r.ChannelId).Distinct(StringComparer.Ordinal)
            .Select(channelId => OutboxWriter.Command(context, EventCatalog.AlertCheck,
                new AlertCheck { Check = AlertKinds.All, ChannelId = channelId }, $"{cause}.check.{channelId}"));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing a sync of tenant {Tenant} on the event bus failed; its results are recorded")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception, string tenant);
}

/// <summary>A pass between its phases: what it claimed, and what it read.</summary>
/// <remarks><paramref name="OpenAlerts"/>: the channels with an open channel_status or sync_health alert when the pass read (checked again after it).</remarks>
public sealed record SyncPass(string TenantId, IReadOnlyList<ClaimedSync> Claimed, IReadOnlyList<SyncTarget> Targets,
    IReadOnlyDictionary<string, ChannelConnection> Connections, IReadOnlySet<string> OpenAlerts);
