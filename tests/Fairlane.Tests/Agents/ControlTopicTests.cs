using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Agents;

/// <summary>Tenant lifecycle commands on the control topic.</summary>
[Trait("Category", "Integration")]
public sealed class ControlTopicTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static EventEnvelope Command(string tenant, TenantCommand command) =>
        EnvelopeCodec.Create(tenant, EventTypes.TenantCommand, command, FairlaneJsonContext.Default.TenantCommand);

    private static async Task SendAndWaitAsync(TestStack stack, EventEnvelope command)
    {
        await stack.Producer.ProduceAsync(stack.Topics.Control, command);
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>($"SELECT count(*) FROM processed_events WHERE event_id = '{command.Id}'"),
            n => n == 1, Deadline, $"command {command.Id} processed");
    }

    private static Task<string> StatusAsync(TestStack stack, string tenant) =>
        stack.Db.ScalarAsync<string>($"SELECT status FROM tenants WHERE id = '{tenant}'");

    [Fact(Timeout = 120_000)]
    public async Task Register_update_pause_resume_and_unregister_apply_to_the_tenant_and_its_events()
    {
        await using var stack = await new StackBuilder().Kafka(1, 6).StartAsync();

        await SendAndWaitAsync(stack, Command("newbie", new TenantCommand { Command = "register", Name = "New Shop", Weight = 3, MonthlyBudget = 1000 }));
        Assert.Equal("active", await StatusAsync(stack, "newbie"));
        Assert.Equal(3, await stack.Db.ScalarAsync<int>("SELECT weight FROM tenants WHERE id = 'newbie'"));

        await SendAndWaitAsync(stack, Command("newbie", new TenantCommand { Command = "update", Concurrency = 4, RatePerSecond = 50 }));
        Assert.Equal(4, await stack.Db.ScalarAsync<int>("SELECT concurrency FROM tenants WHERE id = 'newbie'"));
        Assert.Equal(3, await stack.Db.ScalarAsync<int>("SELECT weight FROM tenants WHERE id = 'newbie'")); // unset limits stay
        Assert.Equal(1000L, await stack.Db.ScalarAsync<long>("SELECT monthly_budget FROM tenants WHERE id = 'newbie'"));

        await SendAndWaitAsync(stack, Command("newbie", new TenantCommand { Command = "pause" }));
        Assert.Equal("paused", await StatusAsync(stack, "newbie"));
        await SendAndWaitAsync(stack, Command("newbie", new TenantCommand { Command = "resume" }));
        Assert.Equal("active", await StatusAsync(stack, "newbie"));

        await SendAndWaitAsync(stack, Command("newbie", new TenantCommand { Command = "unregister" }));
        Assert.Equal("deleted", await StatusAsync(stack, "newbie"));
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, EventSender.StockEvent("newbie", 1));
        var letter = Assert.Single(await DeadLetterReader.ReadAsync(stack.Cluster.BootstrapServers, stack.Topics.DeadLetters, 1, Deadline));
        Assert.Equal(DeadLetterReasons.TenantDeleted, letter.Reason);

        // Registering again brings the tenant back, its settings kept.
        await SendAndWaitAsync(stack, Command("newbie", new TenantCommand { Command = "register" }));
        Assert.Equal("active", await StatusAsync(stack, "newbie"));
        Assert.Equal(3, await stack.Db.ScalarAsync<int>("SELECT weight FROM tenants WHERE id = 'newbie'"));
    }

    [Fact(Timeout = 120_000)]
    public async Task An_invalid_command_is_dead_lettered_and_changes_nothing()
    {
        await using var stack = await new StackBuilder().Kafka(1, 6).StartAsync();
        await stack.Db.RegisterTenantsAsync(["steady"]);

        await stack.Producer.ProduceAsync(stack.Topics.Control, Command("steady", new TenantCommand { Command = "update", Weight = 0 }));
        await stack.Producer.ProduceAsync(stack.Topics.Control, Command("steady", new TenantCommand { Command = "explode" }));

        var letters = await DeadLetterReader.ReadAsync(stack.Cluster.BootstrapServers, stack.Topics.DeadLetters, 2, Deadline);
        Assert.All(letters, l => Assert.Equal(DeadLetterReasons.PermanentFailure, l.Reason));
        Assert.Equal(1, await stack.Db.ScalarAsync<int>("SELECT weight FROM tenants WHERE id = 'steady'"));
    }
}
