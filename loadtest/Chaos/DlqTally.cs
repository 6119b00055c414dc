namespace Fairlane.LoadTest.Chaos;

/// <summary>Where a record sat on its topic: the identity a dead letter's fl-dlq-origin-* headers name.</summary>
internal readonly record struct Origin(string Topic, int Partition, long Offset);

/// <summary>A poison record as sent (its offset from the broker's acknowledgement) or a dead letter as read back.</summary>
internal readonly record struct PlacedRecord(Origin Origin, string Reason);

/// <summary>One reason's line of the comparison: sent, dead-lettered once or more with that reason, missing, and extra copies.</summary>
internal sealed record DlqLine(string Reason, int Sent, int DeadLettered, int Missing, int WrongReason, int Duplicates);

/// <summary>
/// Compares the poison records sent with the dead letters read back, by origin topic, partition and
/// offset: each poison record must be dead-lettered with its reason at least once. A second letter
/// for the same origin (a crash between producing the letter and committing the offset re-delivers
/// the record) is at-least-once behaviour and counted apart as a duplicate; a letter for an origin
/// that was no poison record (a good event dead-lettered) is unexpected and fails the run.
/// </summary>
internal sealed record DlqTally(IReadOnlyList<DlqLine> Lines, IReadOnlyList<PlacedRecord> Unexpected)
{
    public bool Exact => Unexpected.Count == 0 && Lines.All(l => l.Missing == 0 && l.WrongReason == 0 && l.DeadLettered == l.Sent);

    public int Duplicates => Lines.Sum(l => l.Duplicates);

    public static DlqTally Compare(IReadOnlyList<PlacedRecord> sent, IReadOnlyList<PlacedRecord> letters, IEnumerable<string> reasons)
    {
        var byOrigin = letters.GroupBy(l => l.Origin).ToDictionary(g => g.Key, g => g.ToList());
        var sentOrigins = sent.Select(s => s.Origin).ToHashSet();
        var lines = new List<DlqLine>();
        foreach (var reason in reasons.Concat(sent.Select(s => s.Reason)).Distinct())
        {
            var mine = sent.Where(s => s.Reason == reason).ToList();
            int right = 0, missing = 0, wrong = 0, duplicates = 0;
            foreach (var record in mine)
            {
                var found = byOrigin.GetValueOrDefault(record.Origin) ?? [];
                if (found.Count == 0) missing++;
                else if (found.Any(l => l.Reason != reason)) wrong++;
                else right++;
                duplicates += Math.Max(0, found.Count - 1);
            }
            lines.Add(new DlqLine(reason, mine.Count, right, missing, wrong, duplicates));
        }
        return new DlqTally(lines, [.. letters.Where(l => !sentOrigins.Contains(l.Origin))]);
    }
}
