using Fairlane.Contracts.Events;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Intake;

/// <summary>
/// The age beyond which an event can no longer be proven unprocessed: retention deletes ledger rows
/// after <see cref="RetentionOptions.ProcessedEventsDays"/>, so an older event that comes back (a
/// dead-letter replay, an offset reset, a late producer retry) might have been applied already.
/// Such events are dead-lettered as beyond-dedup-window instead of risking a second application.
/// </summary>
/// <remarks>
/// The age is taken from the envelope's occurredAt, not the fl-produced-at header: the envelope is
/// the original bytes every re-send carries unchanged, while a re-sending producer stamps a fresh
/// produced-at, which would make any replay look new. occurredAt is never later than the first
/// production, so the age it gives is never too small. The margin covers the time an accepted event
/// may still wait before it is processed (queue, retries) and modest clock skew between the
/// producer, this node and PostgreSQL, so an event at the edge still finds its ledger row.
/// </remarks>
internal sealed class DedupWindow(IOptions<RetentionOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Margin = TimeSpan.FromHours(1);

    /// <summary>The oldest an event may be and still be processed.</summary>
    public TimeSpan MaxAge { get; } = TimeSpan.FromDays(options.Value.ProcessedEventsDays) - Margin;

    /// <summary>Why the event must not be processed, or null when it is young enough.</summary>
    public string? Refuse(EventEnvelope envelope)
    {
        var age = time.GetUtcNow() - envelope.OccurredAt;
        return age <= MaxAge
            ? null
            : $"occurredAt {envelope.OccurredAt:O} is {age.TotalHours:F0} h old; the processed-events ledger keeps " +
              $"{options.Value.ProcessedEventsDays} days (Retention:ProcessedEventsDays), so it may have been applied already";
    }
}
