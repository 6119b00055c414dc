using System.Text.Json;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Worker.Tenants;

/// <summary>The admin HTTP API of a real in-process node: token, lifecycle, input errors, ports.</summary>
[Trait("Category", "Integration")]
public sealed class AdminApiTests
{
    private static Task<TestStack> StartAsync() => new StackBuilder().Kafka(1, 1).StartAsync();

    private static Task<string> StatusOf(TestDatabase db, string tenant) =>
        db.ScalarAsync<string>($"SELECT coalesce((SELECT status FROM tenants WHERE id = '{tenant}'), 'none')");

    [Fact(Timeout = 120_000)]
    public async Task A_tenant_goes_through_its_whole_lifecycle()
    {
        await using var stack = await StartAsync();
        using var admin = new AdminClient(stack.Worker.AdminPort);

        var registered = await admin.PostAsync("/admin/tenants", """{"id":"acme","name":"Acme Ltd","weight":3}""");
        Assert.Equal(201, registered.Status);
        Assert.Equal("/admin/tenants/acme", registered.Headers.Location?.ToString());
        Assert.Equal("active", registered.Json.GetProperty("status").GetString());
        Assert.Equal(3, registered.Json.GetProperty("weight").GetInt32());
        Assert.Equal(JsonValueKind.Null, registered.Json.GetProperty("ratePerSecond").ValueKind);

        var shown = await admin.GetAsync("/admin/tenants/acme");
        Assert.Equal(200, shown.Status);
        Assert.Equal("Acme Ltd", shown.Json.GetProperty("name").GetString());

        var patched = await admin.PatchAsync("/admin/tenants/acme",
            """{"concurrency":4,"ratePerSecond":2.5,"maxQueueDepth":500,"monthlyBudget":10000}""");
        Assert.Equal(200, patched.Status);
        Assert.Equal(3, patched.Json.GetProperty("weight").GetInt32()); // left out: kept
        Assert.Equal(4, patched.Json.GetProperty("concurrency").GetInt32());
        Assert.Equal(4, patched.Json.GetProperty("effectiveConcurrency").GetInt32());
        Assert.Equal(2.5, patched.Json.GetProperty("ratePerSecond").GetDouble());
        Assert.Equal(500, patched.Json.GetProperty("maxQueueDepth").GetInt32());
        Assert.Equal(10000, patched.Json.GetProperty("monthlyBudget").GetInt64());
        Assert.True(patched.Json.GetProperty("updatedAt").GetDateTimeOffset() > registered.Json.GetProperty("updatedAt").GetDateTimeOffset());

        var cleared = await admin.PatchAsync("/admin/tenants/acme", """{"ratePerSecond":null}""");
        Assert.Equal(JsonValueKind.Null, cleared.Json.GetProperty("ratePerSecond").ValueKind);
        Assert.Equal(500, cleared.Json.GetProperty("maxQueueDepth").GetInt32());
        Assert.True(await stack.Db.ScalarAsync<bool>("SELECT rate_limit_per_second IS NULL FROM tenants WHERE id = 'acme'"));

        Assert.Equal("paused", (await admin.PostAsync("/admin/tenants/acme/pause")).Json.GetProperty("status").GetString());
        Assert.Equal("paused", await StatusOf(stack.Db, "acme"));
        Assert.Equal("active", (await admin.PostAsync("/admin/tenants/acme/resume")).Json.GetProperty("status").GetString());

        var listed = await admin.GetAsync("/admin/tenants");
        Assert.Equal(200, listed.Status);
        Assert.Equal(["acme"], listed.Json.EnumerateArray().Select(t => t.GetProperty("id").GetString()));

        var deleted = await admin.DeleteAsync("/admin/tenants/acme");
        Assert.Equal(200, deleted.Status);
        Assert.Equal("deleted", deleted.Json.GetProperty("status").GetString());
        Assert.Equal("deleted", await StatusOf(stack.Db, "acme")); // the row (and the tenant's data) stays
        Assert.Equal(409, (await admin.PostAsync("/admin/tenants/acme/pause")).Status);

        // Registering a deleted tenant again brings it back, with the limits of the new registration.
        var back = await admin.PostAsync("/admin/tenants", """{"id":"acme","weight":5}""");
        Assert.Equal(200, back.Status);
        Assert.Equal("active", back.Json.GetProperty("status").GetString());
        Assert.Equal(5, back.Json.GetProperty("weight").GetInt32());
        Assert.Equal(JsonValueKind.Null, back.Json.GetProperty("concurrency").ValueKind); // automatic
        Assert.Equal("item", back.Json.GetProperty("ordering").GetString());
        var workers = stack.Worker.Services.GetRequiredService<IOptions<EngineOptions>>().Value.Workers;
        Assert.Equal(Math.Min(workers, (workers + 1) / 2 * 5), back.Json.GetProperty("effectiveConcurrency").GetInt32());
        Assert.Equal(registered.Json.GetProperty("createdAt").GetDateTimeOffset(), back.Json.GetProperty("createdAt").GetDateTimeOffset());
    }

    [Fact(Timeout = 120_000)]
    public async Task Requests_without_the_token_or_with_a_wrong_one_get_401_and_change_nothing()
    {
        await using var stack = await StartAsync();
        await stack.Db.RegisterTenantsAsync(["acme"], weight: 2);
        using var admin = new AdminClient(stack.Worker.AdminPort);
        (HttpMethod Method, string Path, string? Body)[] requests =
        [
            (HttpMethod.Post, "/admin/tenants", """{"id":"intruder"}"""),
            (HttpMethod.Patch, "/admin/tenants/acme", """{"weight":1000}"""),
            (HttpMethod.Post, "/admin/tenants/acme/pause", null),
            (HttpMethod.Delete, "/admin/tenants/acme", null),
            (HttpMethod.Get, "/admin/tenants", null),
            (HttpMethod.Get, "/admin/tenants/acme", null),
            (HttpMethod.Get, "/admin/healthz", null),
        ];
        string?[] authorizations = [null, "Bearer wrong-token", $"Bearer {InProcessWorker.AdminToken}x", $"Basic {InProcessWorker.AdminToken}"];
        using var anonymous = new AdminClient(stack.Worker.AdminPort, token: null);

        foreach (var (method, path, body) in requests)
        {
            foreach (var authorization in authorizations)
            {
                var response = await anonymous.SendAsync(method, path, body, authorization);
                Assert.True(response.Status == 401, $"{method} {path} with '{authorization}': {response}");
                Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
                Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("error").GetString()));
                Assert.DoesNotContain(InProcessWorker.AdminToken, response.Body);
            }
        }

        Assert.Equal("none", await StatusOf(stack.Db, "intruder"));
        Assert.Equal("active", await StatusOf(stack.Db, "acme"));
        Assert.Equal(2, await stack.Db.ScalarAsync<int>("SELECT weight FROM tenants WHERE id = 'acme'"));
        Assert.Equal(200, (await admin.GetAsync("/admin/tenants/acme")).Status); // and the right token still works
    }

    [Theory(Timeout = 120_000)]
    [InlineData("POST", "/admin/tenants", """{"id":"bad id"}""", "id")]
    [InlineData("POST", "/admin/tenants", """{"name":"no id"}""", "id")]
    [InlineData("POST", "/admin/tenants", """{"id":"t1","weight":0}""", "weight")]
    [InlineData("POST", "/admin/tenants", """{"id":"t1","nmae":"typo"}""", "nmae")]
    [InlineData("POST", "/admin/tenants", """{"id":"t1","name":7}""", "name")]
    [InlineData("PATCH", "/admin/tenants/acme", """{"weight":1001}""", "weight")]
    [InlineData("PATCH", "/admin/tenants/acme", """{"weight":"heavy"}""", "weight")]
    [InlineData("PATCH", "/admin/tenants/acme", """{"weight":null}""", "weight")]
    [InlineData("PATCH", "/admin/tenants/acme", """{"concurrency":65}""", "concurrency")]
    [InlineData("PATCH", "/admin/tenants/acme", """{"concurrency":1.5}""", "concurrency")]
    [InlineData("PATCH", "/admin/tenants/acme", """{"ratePerSecond":0}""", "ratePerSecond")]
    [InlineData("PATCH", "/admin/tenants/acme", """{"maxQueueDepth":0}""", "maxQueueDepth")]
    [InlineData("PATCH", "/admin/tenants/acme", """{"monthlyBudget":-1}""", "monthlyBudget")]
    [InlineData("PATCH", "/admin/tenants/acme", """{}""", "limits")]
    [InlineData("PATCH", "/admin/tenants/acme", """[1,2]""", "body")]
    [InlineData("PATCH", "/admin/tenants/acme", """{"weight":""", "body")]
    public async Task Bad_input_gets_400_naming_the_field_and_changes_nothing(string method, string path, string body, string field)
    {
        await using var stack = await StartAsync();
        await stack.Db.RegisterTenantsAsync(["acme"], weight: 2);
        using var admin = new AdminClient(stack.Worker.AdminPort);

        var response = await admin.SendAsync(new HttpMethod(method), path, body);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal(field, response.Json.GetProperty("field").GetString());
        Assert.Contains(field, response.Json.GetProperty("error").GetString());
        Assert.Equal(1L, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM tenants"));
        Assert.Equal(2, await stack.Db.ScalarAsync<int>("SELECT weight FROM tenants WHERE id = 'acme'"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Unknown_tenants_get_404_and_registering_an_active_one_again_gets_409()
    {
        await using var stack = await StartAsync();
        await stack.Db.RegisterTenantsAsync(["acme"], weight: 2);
        using var admin = new AdminClient(stack.Worker.AdminPort);

        foreach (var response in new[]
                 {
                     await admin.GetAsync("/admin/tenants/ghost"),
                     await admin.PatchAsync("/admin/tenants/ghost", """{"weight":2}"""),
                     await admin.PostAsync("/admin/tenants/ghost/pause"),
                     await admin.PostAsync("/admin/tenants/ghost/resume"),
                     await admin.DeleteAsync("/admin/tenants/ghost"),
                 })
        {
            Assert.True(response.Status == 404, response.ToString());
            Assert.Contains("'ghost' is not registered", response.Json.GetProperty("error").GetString());
        }

        var again = await admin.PostAsync("/admin/tenants", """{"id":"acme","weight":9}""");
        Assert.Equal(409, again.Status);
        Assert.Contains("already registered", again.Json.GetProperty("error").GetString());
        Assert.Equal(2, await stack.Db.ScalarAsync<int>("SELECT weight FROM tenants WHERE id = 'acme'"));
        Assert.Equal("none", await StatusOf(stack.Db, "ghost"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Each_port_serves_only_its_own_endpoints()
    {
        await using var stack = await StartAsync();
        var metricsPort = stack.Worker.Services.GetRequiredService<IOptions<HttpOptions>>().Value.MetricsPort;
        using var admin = new AdminClient(stack.Worker.AdminPort);
        using var onMetricsPort = new AdminClient(metricsPort);

        var health = await admin.GetAsync("/admin/healthz");
        Assert.Equal(200, health.Status);
        Assert.Equal("ok", health.Json.GetProperty("status").GetString());
        Assert.Equal(404, (await admin.GetAsync("/metrics")).Status);
        Assert.Equal(404, (await admin.GetAsync("/readyz")).Status);
        Assert.Equal(404, (await onMetricsPort.GetAsync("/admin/healthz")).Status);
        Assert.Equal(404, (await onMetricsPort.GetAsync("/admin/tenants")).Status);
        Assert.Equal(200, (await onMetricsPort.GetAsync("/healthz")).Status);
    }
}
