using System.Text.Json;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Tenants;

/// <summary>`fairlane tenants` as an operator runs it: against PostgreSQL and Redis, no node running.</summary>
[Trait("Category", "Integration")]
public sealed class TenantsCliTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    // No Kafka is needed or reachable: the tenants verbs talk to PostgreSQL and Redis only.
    private static Task<TestStack> StartAsync() => new StackBuilder().NoKafka().InProcessWorkers(0).StartAsync();

    private static async Task<Run> TenantsAsync(TestStack stack, params string[] args)
    {
        var (code, stdout, stderr) = await stack.RunCliAsync(["tenants", .. args], Deadline);
        return new Run(code, stdout, stderr);
    }

    private static async Task<JsonElement> ShowAsync(TestStack stack, string tenant)
    {
        var show = await TenantsAsync(stack, "show", tenant, "--json");
        Assert.True(show.ExitCode == 0, show.ToString());
        return show.Json;
    }

    [Fact(Timeout = 180_000)]
    public async Task Register_set_pause_show_list_and_unregister_round_trip()
    {
        await using var stack = await StartAsync();
        var db = stack.Db;

        var register = await TenantsAsync(stack, "register", "acme", "--name", "Acme Ltd", "--weight", "3", "--rate", "2.5", "--json");
        Assert.True(register.ExitCode == 0, register.ToString());
        Assert.Equal("Acme Ltd", register.Json.GetProperty("name").GetString());
        Assert.Equal(3, register.Json.GetProperty("weight").GetInt32());
        Assert.Equal(2.5, register.Json.GetProperty("ratePerSecond").GetDouble());

        var set = await TenantsAsync(stack, "set", "acme", "--concurrency", "4", "--rate", "none", "--max-queue-depth", "500", "--monthly-budget", "10000");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("concurrency      4", set.Stdout);
        var afterSet = await ShowAsync(stack, "acme");
        Assert.Equal(3, afterSet.GetProperty("weight").GetInt32());
        Assert.Equal(4, afterSet.GetProperty("concurrency").GetInt32());
        Assert.Equal(JsonValueKind.Null, afterSet.GetProperty("ratePerSecond").ValueKind);
        Assert.Equal(500, afterSet.GetProperty("maxQueueDepth").GetInt32());
        Assert.Equal(10000, afterSet.GetProperty("monthlyBudget").GetInt64());

        var pause = await TenantsAsync(stack, "pause", "acme");
        Assert.True(pause.ExitCode == 0, pause.ToString());
        Assert.Equal("paused", (await ShowAsync(stack, "acme")).GetProperty("status").GetString());
        Assert.Equal("paused", await db.ScalarAsync<string>("SELECT status FROM tenants WHERE id = 'acme'"));

        var show = await TenantsAsync(stack, "show", "acme");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("status           paused", show.Stdout);
        Assert.Contains("monthly budget   10000 jobs", show.Stdout);

        Assert.Equal(0, (await TenantsAsync(stack, "register", "zeta")).ExitCode);
        var list = await TenantsAsync(stack, "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0]);
        Assert.Matches(@"^acme\s+paused\s+3\s+4\s+item\s+-\s+500\s+10000\s+Acme Ltd$", lines[1]);
        Assert.Matches(@"^zeta\s+active\s+1\s+auto \(\d+\)\s+item\s+-\s+-\s+-$", lines[2]);
        var strict = await TenantsAsync(stack, "set", "zeta", "--ordering", "tenant");
        Assert.True(strict.ExitCode == 0, strict.ToString());
        Assert.Contains("concurrency      auto (1: tenant order)", strict.Stdout);
        Assert.Equal("tenant", await db.ScalarAsync<string>("SELECT ordering FROM tenants WHERE id = 'zeta'"));
        var listJson = await TenantsAsync(stack, "list", "--json");
        Assert.Equal(["acme", "zeta"], listJson.Json.EnumerateArray().Select(t => t.GetProperty("id").GetString()));

        var unregister = await TenantsAsync(stack, "unregister", "acme");
        Assert.True(unregister.ExitCode == 0, unregister.ToString());
        Assert.Equal("deleted", await db.ScalarAsync<string>("SELECT status FROM tenants WHERE id = 'acme'"));

        var again = await TenantsAsync(stack, "register", "acme", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("active", again.Json.GetProperty("status").GetString());
    }

    [Fact(Timeout = 180_000)]
    public async Task Unknown_tenants_and_conflicts_exit_1_with_a_message()
    {
        await using var stack = await StartAsync();
        var db = stack.Db;
        await db.RegisterTenantsAsync(["acme"], weight: 2);

        foreach (var args in new[] { new[] { "show", "ghost" }, ["pause", "ghost"], ["set", "ghost", "--weight", "2"], ["unregister", "ghost"] })
        {
            var run = await TenantsAsync(stack, args);
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains("Tenant 'ghost' is not registered", run.Stderr);
        }

        var twice = await TenantsAsync(stack, "register", "acme", "--weight", "9");
        Assert.True(twice.ExitCode == 1, twice.ToString());
        Assert.Contains("already registered", twice.Stderr);
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT weight FROM tenants WHERE id = 'acme'"));
    }

    [Theory(Timeout = 180_000)]
    [InlineData("--weight")]
    [InlineData("--rate")]
    [InlineData("tenants needs a verb")]
    [InlineData("'tenants pause' takes no option '--weight'")]
    [InlineData("needs at least one of")]
    [InlineData("needs a tenant id")]
    [InlineData("id must be")]
    public async Task A_bad_command_line_exits_2_and_says_what_is_wrong(string expected)
    {
        await using var stack = await StartAsync();
        var db = stack.Db;
        await db.RegisterTenantsAsync(["acme"], weight: 2);
        string[] args = expected switch
        {
            "--weight" => ["set", "acme", "--weight", "0"],
            "--rate" => ["set", "acme", "--rate", "fast"],
            "tenants needs a verb" => ["frobnicate", "acme"],
            "'tenants pause' takes no option '--weight'" => ["pause", "acme", "--weight", "3"],
            "needs at least one of" => ["set", "acme"],
            "needs a tenant id" => ["show"],
            _ => ["register", "bad id!"],
        };

        var run = await TenantsAsync(stack, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Stderr);
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT weight FROM tenants WHERE id = 'acme'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM tenants"));
    }
}
