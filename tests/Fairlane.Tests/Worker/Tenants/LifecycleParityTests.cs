using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Tenants;

/// <summary>
/// The admin API, <c>fairlane tenants</c> and control-topic commands change tenants through one lifecycle:
/// the same change made each way must leave the same <c>tenants</c> row.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LifecycleParityTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private const string ViaApi = "via-api";
    private const string ViaCli = "via-cli";
    private const string ViaTopic = "via-topic";

    /// <summary>One change, spelt for each of the three ways in.</summary>
    private sealed record Step(
        string Label,
        Func<AdminClient, Task<AdminResponse>> Api,
        string[] Cli,
        TenantCommand Command,
        string ExpectedRow);

    private static readonly Step[] Steps =
    [
        new("register", a => a.PostAsync("/admin/tenants",
                $$"""{"id":"{{ViaApi}}","name":"  Corner Shop ","weight":3,"concurrency":2,"ratePerSecond":2.5,"maxQueueDepth":500,"monthlyBudget":1000}"""),
            ["register", ViaCli, "--name", "  Corner Shop ", "--weight", "3", "--concurrency", "2", "--rate", "2.5", "--max-queue-depth", "500", "--monthly-budget", "1000"],
            new TenantCommand { Command = "register", Name = "  Corner Shop ", Weight = 3, Concurrency = 2, RatePerSecond = 2.5, MaxQueueDepth = 500, MonthlyBudget = 1000 },
            "Corner Shop|active|3|2|2.5|500|1000|item"),
        new("update", a => a.PatchAsync($"/admin/tenants/{ViaApi}", """{"concurrency":4,"ordering":"tenant","ratePerSecond":10,"monthlyBudget":2000}"""),
            ["set", ViaCli, "--concurrency", "4", "--ordering", "tenant", "--rate", "10", "--monthly-budget", "2000"],
            new TenantCommand { Command = "update", Concurrency = 4, Ordering = "tenant", RatePerSecond = 10, MonthlyBudget = 2000 },
            "Corner Shop|active|3|4|10|500|2000|tenant"),
        new("pause", a => a.PostAsync($"/admin/tenants/{ViaApi}/pause"), ["pause", ViaCli],
            new TenantCommand { Command = "pause" },
            "Corner Shop|paused|3|4|10|500|2000|tenant"),
        new("pause again", a => a.PostAsync($"/admin/tenants/{ViaApi}/pause"), ["pause", ViaCli],
            new TenantCommand { Command = "pause" },
            "Corner Shop|paused|3|4|10|500|2000|tenant"),
        new("resume", a => a.PostAsync($"/admin/tenants/{ViaApi}/resume"), ["resume", ViaCli],
            new TenantCommand { Command = "resume" },
            "Corner Shop|active|3|4|10|500|2000|tenant"),
        new("unregister", a => a.DeleteAsync($"/admin/tenants/{ViaApi}"), ["unregister", ViaCli],
            new TenantCommand { Command = "unregister" },
            "Corner Shop|deleted|3|4|10|500|2000|tenant"),
        new("register again", a => a.PostAsync("/admin/tenants",
                $$"""{"id":"{{ViaApi}}","name":"Back Again","weight":5,"concurrency":1,"ordering":"item","ratePerSecond":1.5,"maxQueueDepth":100,"monthlyBudget":50}"""),
            ["register", ViaCli, "--name", "Back Again", "--weight", "5", "--concurrency", "1", "--ordering", "item", "--rate", "1.5", "--max-queue-depth", "100", "--monthly-budget", "50"],
            new TenantCommand { Command = "register", Name = "Back Again", Weight = 5, Concurrency = 1, Ordering = "item", RatePerSecond = 1.5, MaxQueueDepth = 100, MonthlyBudget = 50 },
            "Back Again|active|5|1|1.5|100|50|item"),
    ];

    [Fact(Timeout = 300_000)]
    public async Task The_same_change_through_api_cli_and_control_topic_leaves_identical_rows()
    {
        await using var stack = await new StackBuilder().Kafka(1, 1).StartAsync();
        using var admin = new AdminClient(stack.Worker.AdminPort);

        foreach (var step in Steps)
        {
            var answer = await step.Api(admin);
            Assert.True(answer.Status is 200 or 201, $"{step.Label} via the API: {answer}");

            var (code, stdout, stderr) = await stack.RunCliAsync(["tenants", .. step.Cli], Deadline);
            Assert.True(code == 0, $"{step.Label} via the CLI: exit {code}\n{stdout}\n{stderr}");

            var command = EnvelopeCodec.Create(ViaTopic, EventTypes.TenantCommand, step.Command, FairlaneJsonContext.Default.TenantCommand);
            await stack.Producer.ProduceAsync(stack.Topics.Control, command);
            await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>($"SELECT count(*) FROM processed_events WHERE event_id = '{command.Id}'"),
                n => n == 1, Deadline, $"{step.Label} via the control topic processed");

            Assert.Equal(
                [step.ExpectedRow, step.ExpectedRow, step.ExpectedRow],
                [await RowAsync(stack.Db, ViaApi), await RowAsync(stack.Db, ViaCli), await RowAsync(stack.Db, ViaTopic)]);
        }
    }

    // Everything a lifecycle change may set; an empty field is a null limit.
    private static Task<string> RowAsync(TestDatabase db, string tenant) => db.ScalarAsync<string>($"""
        SELECT coalesce((SELECT format('%s|%s|%s|%s|%s|%s|%s|%s', name, status, weight, concurrency,
            rate_limit_per_second, max_queue_depth, monthly_budget, ordering) FROM tenants WHERE id = '{tenant}'), 'no row')
        """);
}
