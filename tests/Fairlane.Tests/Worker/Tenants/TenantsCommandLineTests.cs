using Fairlane.Worker.Cli;
using Fairlane.Agents.Tenants;

namespace Fairlane.Tests.Worker.Tenants;

/// <summary>Parsing `fairlane tenants ...` into a verb, an id and a limits change, without running it.</summary>
public sealed class TenantsCommandLineTests
{
    private static CommandLine Parse(params string[] args) => CommandLine.Parse(["tenants", .. args]);

    [Fact]
    public void Json_is_a_flag_so_the_word_after_it_stays_an_argument()
    {
        var line = Parse("show", "--json", "acme", "--Postgres:AppRole=x");
        Assert.Equal(["show", "acme"], line.Arguments);
        Assert.True(line.Has("--json"));
        Assert.Equal(["--Postgres:AppRole=x"], line.ConfigurationArgs);
    }

    [Fact]
    public void Limit_options_set_clear_or_keep_each_limit()
    {
        var change = TenantLimitOptions.Read(Parse("set", "acme", "--weight", "5", "--rate", "none", "--max-queue-depth", "250", "--monthly-budget", "0"));

        Assert.Equal(5, change.Weight);
        Assert.Equal(OptionalLimit<int>.Keep, change.Concurrency);
        Assert.Null(change.Ordering);
        Assert.Equal(OptionalLimit<double>.Clear, change.RatePerSecond);
        Assert.Equal(OptionalLimit<int>.To(250), change.MaxQueueDepth);
        Assert.Equal(OptionalLimit<long>.To(0), change.MonthlyBudget);
        Assert.True(TenantLimitOptions.Read(Parse("set", "acme")).IsEmpty);
    }

    [Fact]
    public void Concurrency_auto_clears_it_and_ordering_names_the_scope()
    {
        var change = TenantLimitOptions.Read(Parse("set", "acme", "--concurrency", "auto", "--ordering", "tenant"));
        Assert.Equal(OptionalLimit<int>.Clear, change.Concurrency);
        Assert.Equal(TenantOrdering.Tenant, change.Ordering);

        var back = TenantLimitOptions.Read(Parse("set", "acme", "--concurrency", "12", "--ordering", "item"));
        Assert.Equal(OptionalLimit<int>.To(12), back.Concurrency);
        Assert.Equal(TenantOrdering.Item, back.Ordering);
    }

    [Theory]
    [InlineData("--weight", "1001")]
    [InlineData("--concurrency", "0")]
    [InlineData("--concurrency", "none")]
    [InlineData("--ordering", "strict")]
    [InlineData("--rate", "0")]
    [InlineData("--rate", "-3")]
    [InlineData("--max-queue-depth", "lots")]
    [InlineData("--monthly-budget", "-1")]
    public void Out_of_range_limits_are_usage_errors_naming_the_option(string option, string value)
    {
        var ex = Assert.Throws<UsageException>(() => TenantLimitOptions.Read(Parse("set", "acme", option, value)));
        Assert.StartsWith(option, ex.Message);
    }

    [Fact]
    public void A_change_applies_only_what_it_names()
    {
        var current = new TenantLimitValues(3, 2, 10, 500, 1000);
        var change = new TenantLimitsChange { Concurrency = OptionalLimit<int>.To(4), RatePerSecond = OptionalLimit<double>.Clear };

        Assert.Equal(new TenantLimitValues(3, 4, null, 500, 1000), change.ApplyTo(current));
        Assert.Equal(current, TenantLimitsChange.None.ApplyTo(current));
    }
}
