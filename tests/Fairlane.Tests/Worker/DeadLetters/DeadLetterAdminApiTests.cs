using System.Text.Json;
using Fairlane.Contracts;
using Fairlane.Tests.Infrastructure;
using Fairlane.Tests.Worker.Tenants;
using Fairlane.Worker.Observability;

namespace Fairlane.Tests.Worker.DeadLetters;

/// <summary><c>GET /admin/dlq</c> and <c>POST /admin/dlq/replay</c>: the same index and replay as the CLI, behind the admin token.</summary>
[Trait("Category", "Integration")]
public sealed class DeadLetterAdminApiTests
{
    private const string Tenant = "tardy";

    [Fact(Timeout = 240_000)]
    public async Task The_admin_api_lists_and_replays_dead_letters_once_and_refuses_callers_without_the_token()
    {
        await using var stack = await DlqTestBed.StartAsync();
        using var admin = new AdminClient(stack.Worker.AdminPort);
        using var anonymous = new AdminClient(stack.Worker.AdminPort, token: null);
        var sale = DlqTestBed.Sale(Tenant, delta: -4, sequence: 1);
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, sale);
        await Eventually.WaitAsync(() => DlqTestBed.IndexedAsync(stack), n => n == 1, DlqTestBed.Deadline, "the dead letter to be indexed");

        Assert.Equal(401, (await anonymous.GetAsync("/admin/dlq")).Status);
        Assert.Equal(401, (await anonymous.PostAsync("/admin/dlq/replay", """{"reason":"unknown-tenant"}""")).Status);
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM dlq_index WHERE replayed_at IS NOT NULL"));

        var listed = await admin.GetAsync($"/admin/dlq?tenant={Tenant}&reason={DeadLetterReasons.UnknownTenant}&since=10m");
        Assert.Equal(200, listed.Status);
        Assert.Equal(sale.Id, Assert.Single(listed.Json.EnumerateArray()).GetProperty("eventId").GetString());
        Assert.Empty((await admin.GetAsync("/admin/dlq?tenant=someone-else")).Json.EnumerateArray());
        var badSince = await admin.GetAsync("/admin/dlq?since=soon");
        Assert.Equal(400, badSince.Status);
        Assert.Equal("since", badSince.Json.GetProperty("field").GetString());
        Assert.Equal(400, (await admin.PostAsync("/admin/dlq/replay", """{"tenant":"tardy"}""")).Status);

        await DlqTestBed.RegisterWithCatalogAsync(stack, Tenant);
        var replayedBefore = FairlaneMetrics.DeadLettersReplayed.WithLabels(DeadLetterReasons.UnknownTenant).Value;
        var replay = await admin.PostAsync("/admin/dlq/replay", $$"""{"reason":"{{DeadLetterReasons.UnknownTenant}}","tenant":"{{Tenant}}"}""");
        Assert.Equal(200, replay.Status);
        Assert.Equal(1, replay.Json.GetProperty("replayed").GetInt32());
        Assert.True(FairlaneMetrics.DeadLettersReplayed.WithLabels(DeadLetterReasons.UnknownTenant).Value - replayedBefore >= 1);
        await Eventually.WaitAsync(() => Catalog.StockAsync(stack.Db, Tenant, "p1"), s => s == 6, DlqTestBed.Deadline, "the replayed sale applied");

        var second = await admin.PostAsync("/admin/dlq/replay", $$"""{"reason":"{{DeadLetterReasons.UnknownTenant}}"}""");
        Assert.Equal(200, second.Status);
        Assert.Equal(0, second.Json.GetProperty("matched").GetInt32());
        var shown = Assert.Single((await admin.GetAsync("/admin/dlq")).Json.EnumerateArray());
        Assert.Equal(1, shown.GetProperty("replayCount").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, shown.GetProperty("replayedAt").ValueKind);
        Assert.Equal(6, await Catalog.StockAsync(stack.Db, Tenant, "p1"));
    }
}
