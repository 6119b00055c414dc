using Fairlane.Agents.Handling;
using Fairlane.Agents.Inventory;
using Fairlane.Agents.Storage;
using Fairlane.Agents.Sync;
using Npgsql;

namespace Fairlane.Agents.Watcher;

/// <summary>
/// A run's channel reports as the Watcher applies them. The run's items and products are read under
/// lock once, together (<see cref="ReadAsync"/>), kept current in memory as each report applies, and
/// what they add up to is written in one round trip before the run commits: each changed product's
/// newest stock, each item's newest report, a sync record per report, and the hand-off to Sync. A
/// report in a run thus costs no round trip of its own; a run of one costs two.
/// </summary>
internal sealed class WatcherRun
{
    private const string StateKey = "watcher.run";

    private readonly HandlerContext _context;
    private readonly WatcherSyncHandoff _handoff;
    private readonly HashSet<(string ChannelId, string ExternalId)> _read = [];
    private readonly Dictionary<(string ChannelId, string ExternalId), MappedItem> _items = [];
    private readonly Dictionary<string, int> _stock = new(StringComparer.Ordinal);
    private readonly Queue<long> _syncEventIds = new();
    private readonly HashSet<(string ChannelId, string ExternalId)> _reported = [];
    private readonly SortedDictionary<string, ChangedProduct> _changed = new(StringComparer.Ordinal);
    private readonly List<SyncEventRow> _syncEvents = [];
    private readonly List<NpgsqlBatchCommand> _events = [];

    private WatcherRun(HandlerContext context, WatcherSyncHandoff handoff)
    {
        _context = context;
        _handoff = handoff;
    }

    /// <summary>The run's state, created on its first report (which schedules the run's writes for before the commit).</summary>
    public static WatcherRun For(HandlerContext context, WatcherSyncHandoff handoff)
    {
        if (context.TransactionState.TryGetValue(StateKey, out var state)) return (WatcherRun)state;
        var run = new WatcherRun(context, handoff);
        context.TransactionState[StateKey] = run;
        context.BeforeCommit.Add(run.WriteAsync);
        return run;
    }

    /// <summary>
    /// Reads and locks <paramref name="items"/> not read yet, and reserves sync_events ids for
    /// <paramref name="reports"/> more reports. Items read before keep what this run changed in them.
    /// </summary>
    public async Task ReadAsync(IReadOnlyList<(string ChannelId, string ExternalId)> items, int reports, CancellationToken cancellationToken)
    {
        var unread = items.Where(_read.Add).ToList();
        var (mapped, ids) = await InventoryStore.LockItemsAsync(_context, unread, reports, cancellationToken);
        foreach (var item in mapped)
        {
            _items.TryAdd((item.ChannelId, item.ExternalId), item);
            _stock.TryAdd(item.ProductId, item.Stock);
        }
        foreach (var id in ids) _syncEventIds.Enqueue(id);
    }

    /// <summary>The item as this run left it (with its product's current stock), read if the run has not yet; null if unmapped.</summary>
    public async Task<MappedItem?> FindAsync(string channelId, string externalId, CancellationToken cancellationToken)
    {
        if (!_read.Contains((channelId, externalId)) || _syncEventIds.Count == 0) await ReadAsync([(channelId, externalId)], 1, cancellationToken);
        return _items.TryGetValue((channelId, externalId), out var item) ? item with { Stock = _stock[item.ProductId] } : null;
    }

    /// <summary>
    /// A report applied: the product's stock and what the channel showed move on, and the report gets
    /// its sync record. Returns the record's id.
    /// </summary>
    public long Apply(MappedItem item, int stock, int channelStock, long? sequence, DateTimeOffset changedAt, string sourceEventId)
    {
        var key = (item.ChannelId, item.ExternalId);
        _items[key] = item with { ChannelStock = channelStock, LastSequence = sequence ?? item.LastSequence, LastChangedAt = changedAt };
        _reported.Add(key);
        _stock[item.ProductId] = stock;
        _changed[item.ProductId] = _changed.TryGetValue(item.ProductId, out var changed) ? changed.With(item.ChannelId) : new ChangedProduct(item.ChannelId, 1);
        var id = _syncEventIds.Dequeue();
        _syncEvents.Add(new SyncEventRow(id, item.ProductId, sourceEventId, item.ChannelId, stock));
        return id;
    }

    /// <summary>A follow-up event (its outbox row) written with the run's effects.</summary>
    public void Emit(NpgsqlBatchCommand outboxRow) => _events.Add(outboxRow);

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        if (_syncEvents.Count == 0 && _events.Count == 0) return;
        await using var batch = new NpgsqlBatch(_context.Connection, _context.Transaction);
        var direct = _handoff.Options.Handoff == SyncHandoff.Direct && _changed.Count > 0;
        // Sync's rows last, as a pusher's record takes the mappings before them; products in order.
        var writes = InventoryStore.ApplyReportsCommands(_context, _changed.Select(c => (c.Key, _stock[c.Key])).ToList(),
            _reported.Select(k => _items[k]).Select(i => new ItemReport(i.ChannelId, i.ExternalId, i.ProductId, i.ChannelStock!.Value, i.LastSequence, i.LastChangedAt!.Value)).ToList(),
            _syncEvents);
        // Planned once per connection: every statement here reaches its rows by key, or inserts.
        GenericPlans.AddTo(batch, direct
            ? writes.Concat(_events).Append(PendingSyncs.MarkManyCommand(_context,
                _changed.Select(c => (c.Key, c.Value.Mixed ? null : (string?)c.Value.OriginChannelId)).ToList(), _handoff.Options.Debounce))
            : writes.Concat(_events));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var folded = 0;
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                // A product's reports beyond its first fold into its one push, and so does its first if it was pending already.
                folded += _changed[reader.GetString(0)].Reports - 1 + (reader.GetBoolean(1) ? 1 : 0);
            }
        }
        while (await reader.NextResultAsync(cancellationToken));
        if (direct) _context.AfterCommit.Add(_ => _handoff.Marked(folded));
    }

    /// <summary>A product this run changed: from which channel (unless from several), and by how many reports.</summary>
    private sealed record ChangedProduct(string OriginChannelId, int Reports, bool Mixed = false)
    {
        public ChangedProduct With(string channelId) => new(OriginChannelId, Reports + 1, Mixed || channelId != OriginChannelId);
    }
}
