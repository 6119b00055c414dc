using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker;

/// <summary>
/// Regression: startup checked the role named by Postgres:AppRole but not the role that
/// Postgres:ConnectionString logs in as, so owner credentials there ran tenant work outside row-level
/// security without a word. The node must refuse to start, naming the setting.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AppRoleStartupTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 120_000)]
    public async Task Owner_credentials_in_the_application_connection_string_stop_startup_with_exit_3()
    {
        await using var stack = await new StackBuilder().NoKafka().InProcessWorkers(0).StartAsync();

        var (code, _, stderr) = await stack.RunCliAsync(["run"], ExitDeadline,
            s => s.Set("Postgres:ConnectionString", stack.Db.OwnerConnectionString));

        Assert.Equal(3, code);
        Assert.Contains("Postgres:ConnectionString (FAIRLANE__POSTGRES__CONNECTIONSTRING) logs in as role 'fairlane', not as Postgres:AppRole 'fairlane_app'", stderr);
        Assert.DoesNotContain("Password=fairlane", stderr);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_application_role_that_owns_the_tables_stops_startup_with_exit_3()
    {
        // AppRole and the login agree, but the role owns the tables, and an owner is exempt from their policies.
        await using var stack = await new StackBuilder().NoKafka().InProcessWorkers(0)
            .With("Postgres:AppRole", "fairlane")
            .With("Postgres:MigrateOnStart", "false")
            .StartAsync();

        var (code, _, stderr) = await stack.RunCliAsync(["run"], ExitDeadline,
            s => s.Set("Postgres:ConnectionString", stack.Db.OwnerConnectionString));

        Assert.Equal(3, code);
        Assert.Matches(@"Postgres:ConnectionString \(FAIRLANE__POSTGRES__CONNECTIONSTRING\) logs in as role 'fairlane', which owns \d+ tables with row-level security", stderr);
    }
}
