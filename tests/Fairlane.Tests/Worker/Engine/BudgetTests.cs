using Fairlane.Tests.Infrastructure;
using Fairlane.Tests.Worker.Tenants;

namespace Fairlane.Tests.Worker.Engine;

/// <summary>A tenant at its monthly job budget is held: alerted, its events parked, resumed when the budget is raised.</summary>
[Trait("Category", "Integration")]
public sealed class BudgetTests
{
    private const string Tenant = "thrifty";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 120_000)]
    public async Task Reaching_the_budget_parks_further_events_until_it_is_raised()
    {
        await using var stack = await new StackBuilder().Kafka(1, 3).With("Engine:MaxBatchSize", 1).StartAsync();
        await stack.Db.RegisterTenantsAsync([Tenant]);
        using var admin = new AdminClient(stack.Worker.AdminPort);
        Assert.Equal(200, (await admin.PatchAsync($"/admin/tenants/{Tenant}", """{"monthlyBudget":5}""")).Status);
        var processed = () => stack.Db.ScalarAsync<long>($"SELECT count(*) FROM processed_events WHERE tenant_id = '{Tenant}'");

        await stack.SendPacedAsync(Enumerable.Range(0, 5).Select(i => EventSender.StockEvent(Tenant, i)));
        await Eventually.WaitAsync(processed, n => n == 5, Deadline, "the budget's five jobs");
        Assert.Equal(1, await stack.Db.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE kind = 'budget' AND status = 'open'"));
        await Eventually.WaitAsync(async () => (await admin.GetAsync($"/admin/tenants/{Tenant}/engine")).Json.GetProperty("held").GetBoolean(),
            held => held, Deadline, "the node to hold the tenant");

        await stack.SendPacedAsync(Enumerable.Range(5, 10).Select(i => EventSender.StockEvent(Tenant, i)));
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>("SELECT count(*) FROM parked_events"), n => n == 10, Deadline,
            "the jobs over budget parked");
        Assert.Equal(5, await processed());
        Assert.Equal(5, await stack.Db.ScalarAsync<long>("SELECT jobs FROM tenant_usage"));

        Assert.Equal(200, (await admin.PatchAsync($"/admin/tenants/{Tenant}", """{"monthlyBudget":100}""")).Status);
        await Eventually.WaitAsync(processed, n => n == 15, Deadline, "the parked jobs run once the budget is raised");
        Assert.Equal(15, await stack.Db.ScalarAsync<long>("SELECT jobs FROM tenant_usage"));
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM parked_events"));
    }
}
