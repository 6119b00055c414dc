using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Worker.Retention;

public sealed class RetentionOptionsTests
{
    private static string Failures(RetentionOptions options) =>
        new RetentionOptionsValidator().Validate(Options.DefaultName, options) is { Failed: true } r ? string.Join("\n", r.Failures) : "";

    [Fact]
    public void The_defaults_are_valid() => Assert.Equal("", Failures(new RetentionOptions()));

    [Fact]
    public void A_ledger_window_under_a_day_is_refused_naming_the_setting_and_its_variable()
    {
        var failures = Failures(new RetentionOptions { ProcessedEventsDays = 0 });
        Assert.Contains("Retention:ProcessedEventsDays", failures);
        Assert.Contains("FAIRLANE__RETENTION__PROCESSEDEVENTSDAYS", failures);
    }

    [Theory]
    [InlineData(nameof(RetentionOptions.SyncEventsDays))]
    [InlineData(nameof(RetentionOptions.ResolvedAlertsDays))]
    [InlineData(nameof(RetentionOptions.DeadLetterIndexDays))]
    [InlineData(nameof(RetentionOptions.IntervalMinutes))]
    [InlineData(nameof(RetentionOptions.BatchSize))]
    public void Zero_is_refused_naming_the_setting(string setting)
    {
        var options = new RetentionOptions();
        typeof(RetentionOptions).GetProperty(setting)!.SetValue(options, 0);
        Assert.Contains($"Retention:{setting}", Failures(options));
    }
}
