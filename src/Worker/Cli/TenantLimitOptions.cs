using System.Globalization;
using Fairlane.Agents.Tenants;

namespace Fairlane.Worker.Cli;

/// <summary>The limit options of <c>fairlane tenants register|set</c>, read into a limits change.</summary>
internal static class TenantLimitOptions
{
    public const string None = "none";

    public static readonly string[] All = ["--weight", "--concurrency", "--rate", "--max-queue-depth", "--monthly-budget"];

    public static TenantLimitsChange Read(CommandLine line) => new()
    {
        Weight = Whole(line, "--weight", 1, TenantRules.MaxWeight),
        Concurrency = Whole(line, "--concurrency", 1, TenantRules.MaxConcurrency),
        RatePerSecond = Optional<double>(line, "--rate", "a number of events per second greater than 0", raw =>
            double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 && double.IsFinite(rate) ? rate : null),
        MaxQueueDepth = Optional<int>(line, "--max-queue-depth", $"a whole number from 1 to {TenantRules.MaxQueueDepthLimit}", raw =>
            int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var depth) && depth is >= 1 and <= TenantRules.MaxQueueDepthLimit ? depth : null),
        MonthlyBudget = Optional<long>(line, "--monthly-budget", "a whole number of jobs of at least 0", raw =>
            long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var budget) && budget >= 0 ? budget : null),
    };

    private static int? Whole(CommandLine line, string option, int min, int max) =>
        line.Has(option) ? line.GetInt(option, 0, min, max) : null;

    private static OptionalLimit<T> Optional<T>(CommandLine line, string option, string expected, Func<string, T?> parse) where T : struct
    {
        if (!line.TryGet(option, out var raw)) return OptionalLimit<T>.Keep;
        if (string.Equals(raw, None, StringComparison.OrdinalIgnoreCase)) return OptionalLimit<T>.Clear;
        return raw is not null && parse(raw) is { } value
            ? OptionalLimit<T>.To(value)
            : throw new UsageException($"{option} takes {expected}, or '{None}' to remove the limit; got '{raw}'.");
    }
}
