using System.Globalization;

namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// The <c>--since</c> / <c>since=</c> value of a dead-letter listing: an age back from now (<c>90s</c>,
/// <c>30m</c>, <c>1h</c>, <c>7d</c>) or an ISO 8601 instant (<c>2026-11-27T10:00:00Z</c>).
/// </summary>
internal static class DeadLetterSince
{
    public const string Expected = "an age such as 30m, 1h or 7d, or an ISO 8601 time such as 2026-11-27T10:00:00Z";

    /// <summary>The instant, or null when <paramref name="text"/> is neither form.</summary>
    public static DateTimeOffset? Parse(string text, DateTimeOffset now)
    {
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n <= 100_000)
        {
            TimeSpan? age = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
            if (age is { } a) return now - a;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }
}
