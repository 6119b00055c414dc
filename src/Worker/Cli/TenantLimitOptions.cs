using System.Globalization;
using Fairlane.Agents.Tenants;

namespace Fairlane.Worker.Cli;

/// <summary>The limit options of <c>fairlane tenants register|set</c>, read into a limits change.</summary>
internal static class TenantLimitOptions
{
    public const string None = "none";
    public const string Auto = "auto";

    public static readonly string[] All = ["--weight", "--concurrency", "--ordering", "--rate", "--max-queue-depth", "--monthly-budget"];

    /// <summary>
    /// The options as the grammar declares them, for help and completion. Each value is checked while
    /// parsing by <see cref="Read"/> itself, so the parser and the verb reject the same values with the same message.
    /// </summary>
    public static System.CommandLine.Option[] Declare()
    {
        System.CommandLine.Option[] options = Described();
        foreach (var option in options.Where(o => o.ValueType == typeof(string)))
        {
            option.Validators.Add(result =>
            {
                try
                {
                    Read(CommandLine.Of("tenants", result.Option.Name, result.Tokens.Count > 0 ? result.Tokens[0].Value : null));
                }
                catch (UsageException ex)
                {
                    result.AddError(ex.Message);
                }
            });
        }
        return options;
    }

    private static System.CommandLine.Option[] Described() =>
    [
        CliOptions.Whole("--weight", "N", 1, TenantRules.MaxWeight, $"Share of worker time, 1-{TenantRules.MaxWeight} [default: 1]."),
        CliOptions.Text("--concurrency", "N|auto", $"Events at once, 1-{TenantRules.MaxConcurrency}, never two of one item [default: auto: min(Engine:Workers, ceil(Engine:Workers / 2) x weight)].", Auto),
        CliOptions.Text("--ordering", "item|tenant", "What runs in order: each item (the default), or the whole tenant, one event at a time.", "item", "tenant"),
        CliOptions.Text("--rate", "N|none", "Events per second, greater than 0 [default: none].", None),
        CliOptions.Text("--max-queue-depth", "N|none", "Events held in memory before parking [default: Engine:TenantQueueDepth].", None),
        CliOptions.Text("--monthly-budget", "N|none", "Jobs per month, 0 or more [default: none].", None),
    ];

    public static TenantLimitsChange Read(CommandLine line) => new()
    {
        Weight = Whole(line, "--weight", 1, TenantRules.MaxWeight),
        Concurrency = Optional<int>(line, "--concurrency", $"a whole number from 1 to {TenantRules.MaxConcurrency}", raw =>
            int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= TenantRules.MaxConcurrency ? n : null,
            clear: Auto, cleared: "for automatic"),
        Ordering = Ordering(line),
        RatePerSecond = Optional<double>(line, "--rate", "a number of events per second greater than 0", raw =>
            double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 && double.IsFinite(rate) ? rate : null),
        MaxQueueDepth = Optional<int>(line, "--max-queue-depth", $"a whole number from 1 to {TenantRules.MaxQueueDepthLimit}", raw =>
            int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var depth) && depth is >= 1 and <= TenantRules.MaxQueueDepthLimit ? depth : null),
        MonthlyBudget = Optional<long>(line, "--monthly-budget", "a whole number of jobs of at least 0", raw =>
            long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var budget) && budget >= 0 ? budget : null),
    };

    private static int? Whole(CommandLine line, string option, int min, int max) =>
        line.Has(option) ? line.GetInt(option, 0, min, max) : null;

    private static TenantOrdering? Ordering(CommandLine line)
    {
        if (!line.TryGet("--ordering", out var raw)) return null;
        return TenantOrderingText.TryParse(raw?.ToLowerInvariant())
               ?? throw new UsageException($"--ordering takes 'item' (each item in order) or 'tenant' (the whole tenant in order, one event at a time); got '{raw}'.");
    }

    private static OptionalLimit<T> Optional<T>(CommandLine line, string option, string expected, Func<string, T?> parse,
        string clear = None, string cleared = "to remove the limit") where T : struct
    {
        if (!line.TryGet(option, out var raw)) return OptionalLimit<T>.Keep;
        if (string.Equals(raw, clear, StringComparison.OrdinalIgnoreCase)) return OptionalLimit<T>.Clear;
        return raw is not null && parse(raw) is { } value
            ? OptionalLimit<T>.To(value)
            : throw new UsageException($"{option} takes {expected}, or '{clear}' {cleared}; got '{raw}'.");
    }
}
