namespace Fairlane.Tests.Deploy;

/// <summary>
/// Every series the dashboard and the Prometheus rules query exists: declared in FairlaneMetrics.cs
/// (with the labels used), recorded by a rule, or standard. A renamed metric fails here.
/// </summary>
public sealed class MetricNameTests
{
    public static TheoryData<string, string> Queries()
    {
        var data = new TheoryData<string, string>();
        using var dashboard = GrafanaDashboard.Load();
        foreach (var panel in GrafanaDashboard.Panels(dashboard))
        {
            foreach (var q in panel.Queries) data.Add($"dashboard panel '{panel.Title}'", q);
        }
        foreach (var rule in RuleFiles.All) data.Add($"rule {rule}", rule.Expr);
        return data;
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Every_series_a_query_uses_exists(string where, string query)
    {
        var names = PromQlNames.SeriesIn(query);

        Assert.True(names.Count > 0, $"{where}: found no series in '{query}'");
        var unknown = names.Where(n => !MetricCatalog.Knows(n)).ToList();
        Assert.True(unknown.Count == 0, $"{where} uses series that nothing exports or records: {string.Join(", ", unknown)}\n  in: {query}");
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Every_label_a_selector_matches_is_one_the_metric_has(string where, string query)
    {
        foreach (var (series, labels) in PromQlNames.SelectorsIn(query))
        {
            if (MetricCatalog.LabelsOf(series) is not { } known) continue; // not ours: up, process_*
            var unknown = labels.Where(l => !known.Contains(l)).ToList();
            Assert.True(unknown.Count == 0, $"{where}: {series} has no label(s) {string.Join(", ", unknown)}; it has {string.Join(", ", known.Order())}");
        }
    }

    [Fact]
    public void The_catalog_reads_every_metric_with_its_labels_from_the_source()
    {
        Assert.Equal("Counter", MetricCatalog.Declared["fairlane_events_processed_total"].Kind);
        Assert.Equal(["agent"], MetricCatalog.Declared["fairlane_events_processed_total"].Labels);
        Assert.Equal("Histogram", MetricCatalog.Declared["fairlane_channel_call_duration_seconds"].Kind);
        Assert.Equal(["channel_type", "operation"], MetricCatalog.Declared["fairlane_channel_call_duration_seconds"].Labels);
        Assert.Empty(MetricCatalog.Declared["fairlane_leader"].Labels);
        Assert.Contains("fairlane_end_to_end_latency_seconds_bucket", MetricCatalog.Exported);
        Assert.DoesNotContain("fairlane_end_to_end_latency_seconds", MetricCatalog.Exported);
        Assert.True(MetricCatalog.Declared.Count >= 30);
    }

    [Theory]
    [InlineData("sum by (agent) (rate(fairlane_events_processed_total{agent=\"x\"}[5m]))", "fairlane_events_processed_total")]
    [InlineData("histogram_quantile(0.99, sum by (agent, le) (rate(fairlane_end_to_end_latency_seconds_bucket[$__rate_interval])))", "fairlane_end_to_end_latency_seconds_bucket")]
    [InlineData("agent:fairlane_events_processed:rate5m > 1e3 and on () up{job=\"fairlane\"} == 0", "agent:fairlane_events_processed:rate5m up")]
    [InlineData("time() - max_over_time(fleet:x:max[1h]) > 2 * 15 * 60 offset 5m", "fleet:x:max")]
    [InlineData("topk(10, max by (tenant) (fairlane_tenant_queue_depth{instance=~\"$instance\"}))", "fairlane_tenant_queue_depth")]
    public void The_lexer_finds_series_names_and_nothing_else(string query, string expected)
    {
        Assert.Equal(expected.Split(' '), PromQlNames.SeriesIn(query));
    }

    [Fact]
    public void A_renamed_metric_or_a_wrong_label_would_be_caught()
    {
        Assert.False(MetricCatalog.Knows("fairlane_events_processed"));
        Assert.False(MetricCatalog.Knows("fairlane_end_to_end_latency_seconds"));
        var (series, labels) = PromQlNames.SelectorsIn("max(fairlane_leader{node=\"a\"})").Single();
        Assert.DoesNotContain(labels.Single(), MetricCatalog.LabelsOf(series)!);
    }
}
