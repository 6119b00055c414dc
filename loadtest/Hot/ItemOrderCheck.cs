namespace Fairlane.LoadTest.Hot;

/// <summary>
/// One processed report as the ledger holds it: its item, the sequence it carried, where it sat in
/// the log, and the id of the sync_events row its effect wrote (null: processed without effect).
/// </summary>
internal readonly record struct LedgerReport(string Item, string EventId, long Sequence, int Partition, long Offset, long? EffectId);

/// <summary>What the order check found; any count above zero is a violation.</summary>
internal sealed record OrderFindings(int Items, int Reports, int LogOutOfOrder, int Skipped, int AppliedOutOfOrder, IReadOnlyList<string> Examples)
{
    public int Violations => LogOutOfOrder + Skipped + AppliedOutOfOrder;
}

/// <summary>
/// Checks that every item's reports were applied in the order of their offsets. The application
/// order is read from sync_events.id: the Watcher takes the item's mapping row FOR UPDATE before it
/// inserts that row, so two transactions applying reports of one item are serialised by the lock
/// and the later one draws its identity value only after the earlier one committed (within one
/// batched transaction the inserts run in turn). processed_at is no use here: it is when a
/// transaction began, not when it took the lock. Three things break the order:
/// <list type="bullet">
/// <item>the log holds an item's sequences out of order (then applying in offset order cannot work);</item>
/// <item>a processed report left no effect: the Watcher found it stale, i.e. a report later in the
/// log had been applied before it;</item>
/// <item>the effects, in application order, do not follow the offsets (the stale guard failed).</item>
/// </list>
/// </summary>
internal static class ItemOrderCheck
{
    private const int MaxExamples = 5;

    public static OrderFindings Check(IReadOnlyList<LedgerReport> rows)
    {
        int logOutOfOrder = 0, skipped = 0, appliedOutOfOrder = 0;
        var examples = new List<string>();
        void Note(string example)
        {
            if (examples.Count < MaxExamples) examples.Add(example);
        }

        var items = rows.GroupBy(r => r.Item, StringComparer.Ordinal).ToList();
        foreach (var item in items)
        {
            var byOffset = item.OrderBy(r => r.Partition).ThenBy(r => r.Offset).ToList();
            for (var i = 1; i < byOffset.Count; i++)
            {
                if (byOffset[i].Sequence > byOffset[i - 1].Sequence) continue;
                logOutOfOrder++;
                Note($"{item.Key}: sequence {byOffset[i].Sequence} at offset {byOffset[i].Offset} follows sequence {byOffset[i - 1].Sequence} at offset {byOffset[i - 1].Offset}");
            }
            foreach (var r in byOffset.Where(r => r.EffectId is null))
            {
                skipped++;
                Note($"{item.Key}: {r.EventId} (offset {r.Offset}) processed without effect: a later report was applied first");
            }
            var applied = byOffset.Where(r => r.EffectId is not null).OrderBy(r => r.EffectId).ToList();
            for (var i = 1; i < applied.Count; i++)
            {
                var (before, after) = (applied[i - 1], applied[i]);
                if ((after.Partition, after.Offset).CompareTo((before.Partition, before.Offset)) > 0) continue;
                appliedOutOfOrder++;
                Note($"{item.Key}: offset {after.Offset} applied after offset {before.Offset}");
            }
        }
        return new OrderFindings(items.Count, rows.Count, logOutOfOrder, skipped, appliedOutOfOrder, examples);
    }
}
