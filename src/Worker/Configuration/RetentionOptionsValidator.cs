using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Configuration;

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    private const int MaxDays = 3_650;

    public ValidateOptionsResult Validate(string? name, RetentionOptions o)
    {
        var e = new SettingErrors(RetentionOptions.Section);
        e.Require(o.ProcessedEventsDays is >= RetentionOptions.MinProcessedEventsDays and <= MaxDays, nameof(o.ProcessedEventsDays),
            $"must be between {RetentionOptions.MinProcessedEventsDays} and {MaxDays}; got {o.ProcessedEventsDays}. It is the dedup window: " +
            "a shorter ledger lets a late re-delivery be applied twice. Keep it longer than any re-delivery or replay delay.");
        e.Require(o.SyncEventsDays is >= 1 and <= MaxDays, nameof(o.SyncEventsDays), $"must be between 1 and {MaxDays}; got {o.SyncEventsDays}.");
        e.Require(o.ResolvedAlertsDays is >= 1 and <= MaxDays, nameof(o.ResolvedAlertsDays), $"must be between 1 and {MaxDays}; got {o.ResolvedAlertsDays}.");
        e.Require(o.DeadLetterIndexDays is >= 1 and <= MaxDays, nameof(o.DeadLetterIndexDays), $"must be between 1 and {MaxDays}; got {o.DeadLetterIndexDays}.");
        e.Require(o.IntervalMinutes is >= 1 and <= 1_440, nameof(o.IntervalMinutes), $"must be between 1 and 1440; got {o.IntervalMinutes}.");
        e.Require(o.BatchSize is >= 1 and <= 100_000, nameof(o.BatchSize), $"must be between 1 and 100000; got {o.BatchSize}.");
        return e.Result();
    }
}
