using YamlDotNet.Serialization;

namespace Fairlane.Tests.Deploy;

/// <summary>The Grafana dashboard and its provisioning.</summary>
public sealed class DashboardTests
{
    /// <summary>The panels operators rely on, and a series each must query.</summary>
    public static readonly TheoryData<string, string> RequiredPanels = new()
    {
        { "Fleet throughput by agent", "fairlane_events_processed_total" },
        { "End-to-end latency by agent (p50 / p99)", "fairlane_end_to_end_latency_seconds_bucket" },
        { "Top 10 tenants by queue depth", "fairlane_tenant_queue_depth" },
        { "Consumer lag per partition", "fairlane_consumer_lag" },
        { "Parked backlog", "fairlane_parked_tenants" },
        { "Parked backlog", "fairlane_events_parked_total" },
        { "Dead letters by reason", "fairlane_dead_letters_total" },
        { "Guardian runs by outcome", "fairlane_guardian_runs_total" },
        { "Guardian drift: checks, repairs, drift alerts", "fairlane_guardian_checks_total" },
        { "Guardian drift: checks, repairs, drift alerts", "fairlane_guardian_repairs_total" },
        { "Guardian drift: checks, repairs, drift alerts", "fairlane_guardian_drift_alerts_total" },
        { "Guardian leader", "fairlane_leader" },
        { "Channel breakers by state", "fairlane_channel_breakers" },
        { "Channel calls by outcome", "fairlane_channel_calls_total" },
        { "Commit age per partition", "fairlane_commit_age_seconds" },
        { "Memory per node", "fairlane_buffered_bytes" },
    };

    [Theory]
    [MemberData(nameof(RequiredPanels))]
    public void The_dashboard_has_the_panel_and_it_queries_the_series(string title, string series)
    {
        using var dashboard = GrafanaDashboard.Load();
        var panel = GrafanaDashboard.Panels(dashboard).SingleOrDefault(p => p.Title == title);

        Assert.True(panel is not null, $"no panel titled '{title}'");
        Assert.Contains(series, panel.Queries.SelectMany(PromQlNames.SeriesIn));
    }

    [Fact]
    public void Latency_panel_shows_p50_and_p99_per_agent()
    {
        using var dashboard = GrafanaDashboard.Load();
        var queries = GrafanaDashboard.Panels(dashboard).Single(p => p.Title.StartsWith("End-to-end latency", StringComparison.Ordinal)).Queries;

        Assert.Contains(queries, q => q.Contains("histogram_quantile(0.50", StringComparison.Ordinal) && q.Contains("by (agent, le)", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains("histogram_quantile(0.99", StringComparison.Ordinal) && q.Contains("by (agent, le)", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_panel_queries_the_provisioned_datasource_has_a_unique_id_and_no_two_panels_overlap()
    {
        using var dashboard = GrafanaDashboard.Load();
        var panels = GrafanaDashboard.Panels(dashboard);
        var provisioned = ProvisionedDatasourceUid();

        Assert.Equal(panels.Count, panels.Select(p => p.Id).Distinct().Count());
        Assert.All(panels.Where(p => p.Type != "row"), p =>
        {
            Assert.True(p.DatasourceUid == provisioned, $"'{p.Title}' uses datasource '{p.DatasourceUid}', provisioned is '{provisioned}'");
            Assert.NotEmpty(p.Queries);
        });
        foreach (var a in panels)
        {
            foreach (var b in panels.Where(b => b.Id > a.Id))
            {
                var overlap = a.Grid.X < b.Grid.X + b.Grid.W && b.Grid.X < a.Grid.X + a.Grid.W
                              && a.Grid.Y < b.Grid.Y + b.Grid.H && b.Grid.Y < a.Grid.Y + a.Grid.H;
                Assert.False(overlap, $"'{a.Title}' and '{b.Title}' overlap");
            }
            Assert.InRange(a.Grid.X + a.Grid.W, 1, 24);
        }
    }

    [Fact]
    public void Dashboards_are_provisioned_from_the_folder_compose_mounts_the_json_into()
    {
        var provider = File.ReadAllText(DeployFiles.Grafana("provisioning", "dashboards", "fairlane.yml"));
        var compose = File.ReadAllText(DeployFiles.Docker("docker-compose.yml"));

        Assert.Contains("path: /var/lib/grafana/dashboards/fairlane", provider);
        Assert.Contains("- ../grafana/dashboards:/var/lib/grafana/dashboards/fairlane:ro", compose);
        Assert.Contains("- ../grafana/provisioning:/etc/grafana/provisioning:ro", compose);
    }

    private static string ProvisionedDatasourceUid()
    {
        var yaml = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(
            File.ReadAllText(DeployFiles.Grafana("provisioning", "datasources", "prometheus.yml")));
        var first = (Dictionary<object, object>)((List<object>)yaml["datasources"])[0];
        return (string)first["uid"];
    }
}
