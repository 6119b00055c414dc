using Fairlane.Agents.Alerting;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Channels;
using Fairlane.Agents.Channels;

namespace Fairlane.Tests.Agents.Handlers;

/// <summary>The Alert handler called directly with typed alert checks.</summary>
[Trait("Category", "Integration")]
public sealed class AlertHandlerTests
{
    private const string Tenant = "kiosk";

    private static AlertHandler Handler(HandlerTestBed bed) =>
        new(bed.Alerts, new AlertChecks(new ChannelCallMetrics(new ChannelBreakers()), new AlertCheckOptions()));

    private static Task<string> OpenLowStockAsync(HandlerTestBed bed) => bed.Db.ScalarAsync<string>(
        $"SELECT coalesce(string_agg(subject || ':' || severity, ',' ORDER BY subject), '') FROM alerts WHERE tenant_id = '{Tenant}' AND kind = 'low_stock' AND status = 'open'");

    [Fact(Timeout = 60_000)]
    public async Task A_low_stock_check_opens_alerts_where_stock_is_low_and_resolves_them_once_it_is_not()
    {
        await using var bed = await HandlerTestBed.StartAsync(Tenant);
        await Catalog.SeedAsync(bed.Db, Tenant, [], [new("p1", 2, LowStockThreshold: 5), new("p2", 0, LowStockThreshold: 5), new("p3", 50, LowStockThreshold: 5)], []);
        var alerts = Handler(bed);

        var first = await bed.HandleAsync(alerts, Tenant, new AlertCheck { Check = AlertKinds.LowStock });
        Assert.True(first.Outcome.Completed);
        Assert.Equal("p1:warning,p2:critical", await OpenLowStockAsync(bed));

        await bed.Db.ExecuteAsync($"UPDATE products SET stock = 9 WHERE tenant_id = '{Tenant}' AND id = 'p1'");
        await bed.HandleAsync(alerts, Tenant, new AlertCheck { Check = AlertKinds.LowStock, ProductId = "p1" });
        Assert.Equal("p2:critical", await OpenLowStockAsync(bed));
        Assert.Equal(1L, await bed.Db.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE tenant_id = '{Tenant}' AND subject = 'p1' AND status = 'resolved'"));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unknown_check_is_a_permanent_failure()
    {
        await using var bed = await HandlerTestBed.StartAsync(Tenant);

        var handled = await bed.HandleAsync(Handler(bed), Tenant, new AlertCheck { Check = "weather" });

        Assert.Equal("unknown alert check 'weather'", handled.Outcome.Detail);
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM alerts"));
    }
}
