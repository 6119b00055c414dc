using System.Globalization;
using System.Text;
using Fairlane.Worker.DeadLetters;

namespace Fairlane.Worker.Cli;

/// <summary>The text output of <c>fairlane dlq</c> (with <c>--json</c> it prints the admin API's JSON instead).</summary>
internal static class DlqOutput
{
    public static string Table(IReadOnlyList<DeadLetterEntry> entries)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"id",6} {"created (UTC)",-19} {"tenant",-16} {"reason",-20} {"event",-34} {"origin",-28} {"kept in",-12} {"replayed",8}");
        foreach (var e in entries)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{e.Id,6} {e.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} {e.Tenant ?? "-",-16} {e.Reason,-20} {e.EventId ?? "-",-34} " +
                $"{$"{e.OriginTopic}/{e.OriginPartition}@{e.OriginOffset}",-28} {e.KeptIn,-12} {e.ReplayCount,8}");
        }
        text.Append(CultureInfo.InvariantCulture, $"{entries.Count} dead letter(s).");
        return text.ToString();
    }

    public static string Describe(DeadLetterReplayReport report) => report.DryRun
        ? $"Dry run: {report.Matched} dead letter(s) would be replayed.{Environment.NewLine}{Table(report.Entries)}"
        : $"Replayed {report.Replayed} of {report.Matched} dead letter(s); {report.Failed} failed (left for the next replay, see the log).";
}
