using Fairlane.Agents.Tenants;
using Fairlane.Contracts.Events;

namespace Fairlane.Tests.Agents.Handlers;

/// <summary>The tenant command handler called directly with typed commands, each in the tenant's own transaction.</summary>
[Trait("Category", "Integration")]
public sealed class TenantCommandHandlerTests
{
    private const string Tenant = "newcomer";

    private static Task<string> RowAsync(HandlerTestBed bed) => bed.Db.ScalarAsync<string>(
        $"SELECT coalesce(max(status || ' ' || name || ' ' || weight || ' ' || concurrency), 'none') FROM tenants WHERE id = '{Tenant}'");

    [Fact(Timeout = 60_000)]
    public async Task Register_creates_the_tenant_row_and_pause_resume_unregister_move_its_status()
    {
        await using var bed = await HandlerTestBed.StartAsync();
        var commands = new TenantCommandHandler(bed.TenantNotices);

        var registered = await bed.HandleAsync(commands, Tenant, new TenantCommand { Command = "register", Name = "New Co", Weight = 3, Concurrency = 2 });
        Assert.True(registered.Outcome.Completed);
        Assert.Equal("active New Co 3 2", await RowAsync(bed));
        Assert.Equal(1, registered.AfterCommit); // the fleet is told

        Assert.Equal(1, (await bed.HandleAsync(commands, Tenant, new TenantCommand { Command = "pause" })).AfterCommit);
        Assert.Equal("paused New Co 3 2", await RowAsync(bed));
        // Pausing a paused tenant changes nothing, so nobody is told.
        Assert.Equal(0, (await bed.HandleAsync(commands, Tenant, new TenantCommand { Command = "pause" })).AfterCommit);

        await bed.HandleAsync(commands, Tenant, new TenantCommand { Command = "resume" });
        await bed.HandleAsync(commands, Tenant, new TenantCommand { Command = "update", Weight = 7 });
        Assert.Equal("active New Co 7 2", await RowAsync(bed));
        await bed.HandleAsync(commands, Tenant, new TenantCommand { Command = "unregister" });
        Assert.Equal("deleted New Co 7 2", await RowAsync(bed));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unknown_command_is_a_permanent_failure_and_creates_no_tenant()
    {
        await using var bed = await HandlerTestBed.StartAsync();

        var handled = await bed.HandleAsync(new TenantCommandHandler(bed.TenantNotices), Tenant, new TenantCommand { Command = "explode" });

        Assert.Equal("unknown tenant command 'explode'", handled.Outcome.Detail);
        Assert.Equal("none", await RowAsync(bed));
    }
}
