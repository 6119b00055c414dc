using System.Text.RegularExpressions;

namespace Fairlane.Tests.Deploy;

/// <summary>deploy/prometheus: the configuration and rules load in promtool, the alerts behave, and each has a runbook.</summary>
public sealed partial class PrometheusRulesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static readonly TheoryData<string> RequiredAlerts = new()
    {
        "FairlaneWorkerDown", "FairlaneConsumerLagGrowing", "FairlaneDeadLettersHigh", "FairlaneGuardianNotRun",
        "FairlaneNoLeader", "FairlaneChannelBreakerOpen", "FairlaneParkedBacklogGrowing", "FairlaneCommitStalled",
        "FairlaneDeadLetterFailures", "FairlaneRetentionNotRun",
    };

    [Fact]
    public async Task Promtool_check_rules_accepts_every_rule_file()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");

        var result = await ExternalTool.RunAsync(promtool, ["check", "rules", .. DeployFiles.RuleFiles], Deadline);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(DeployFiles.RuleFiles.Count, SuccessLine().Count(result.Stdout));
    }

    [Fact]
    public async Task Promtool_check_config_accepts_the_scrape_config_and_finds_the_rules()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");

        var result = await ExternalTool.RunAsync(promtool, ["check", "config", DeployFiles.Prometheus("prometheus.yml")], Deadline);

        Assert.True(result.ExitCode == 0, result.ToString());
        // rule_files are resolved relative to the config, as in the compose mount.
        foreach (var file in DeployFiles.RuleFiles) Assert.Contains(Path.GetFileName(file), result.Stdout);
    }

    [Fact]
    public async Task Promtool_unit_tests_of_the_alerts_pass()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var tests = Directory.GetFiles(DeployFiles.Prometheus("tests"), "*.test.yml");
        Assert.NotEmpty(tests);

        var result = await ExternalTool.RunAsync(promtool, ["test", "rules", .. tests], Deadline);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.Stdout);
    }

    [Theory]
    [MemberData(nameof(RequiredAlerts))]
    public void The_alert_exists_with_a_severity_a_for_and_its_annotations(string name)
    {
        var alert = RuleFiles.Alerts.SingleOrDefault(a => a.Alert == name);

        Assert.True(alert is not null, $"no alert {name}");
        Assert.Contains(alert.Labels.GetValueOrDefault("severity"), new[] { "warning", "critical" });
        Assert.False(string.IsNullOrWhiteSpace(alert.For), $"{name} has no 'for': one bad scrape would page");
        foreach (var key in new[] { "summary", "description", "runbook_url" })
            Assert.False(string.IsNullOrWhiteSpace(alert.Annotations.GetValueOrDefault(key)), $"{name} has no {key} annotation");
    }

    [Fact]
    public void Every_alerts_runbook_link_leads_to_its_entry_in_the_readme()
    {
        var readme = File.ReadAllText(DeployFiles.Path("README.md"));
        var anchors = Heading().Matches(readme).Select(m => GitHubAnchor(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("runbook", anchors);

        Assert.All(RuleFiles.Alerts, alert =>
        {
            var url = alert.Annotations["runbook_url"];
            Assert.StartsWith("README.md#", url);
            var anchor = url["README.md#".Length..];
            Assert.True(anchors.Contains(anchor), $"{alert.Alert}: README.md has no heading for #{anchor}");
            Assert.Equal(alert.Alert!.ToLowerInvariant(), anchor);
        });
    }

    [Fact]
    public void Recording_rules_have_unique_names_in_the_level_metric_operations_form()
    {
        var names = RuleFiles.Recordings.Select(r => r.Record!).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches(RecordName(), n));
    }

    // GitHub's heading anchors: lower case, spaces to hyphens, punctuation other than - and _ dropped.
    private static string GitHubAnchor(string heading) =>
        AnchorPunctuation().Replace(heading.Trim().ToLowerInvariant(), "").Replace(' ', '-');

    [GeneratedRegex(@"^#{1,6} (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex AnchorPunctuation();

    [GeneratedRegex(@"^[a-z_]+:fairlane_[a-z0-9_]+:[a-z0-9_]+$")]
    private static partial Regex RecordName();

    [GeneratedRegex(@"SUCCESS: \d+ rules found")]
    private static partial Regex SuccessLine();
}
