using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Tenants;

/// <summary>
/// Regression: the admin API answered on the metrics port without a token when the path was spelled
/// in another case (<c>POST /Admin/tenants/x/pause</c> paused the tenant). Routing matches paths
/// case-insensitively, decodes percent-escapes, removes dot segments and ignores a trailing slash;
/// every such spelling of every admin verb must be refused on both ports and change nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AdminPathSpellingTests
{
    private static readonly (string Method, string Path, string? Body)[] Verbs =
    [
        ("GET", "/admin/healthz", null),
        ("GET", "/admin/tenants", null),
        ("GET", "/admin/tenants/acme", null),
        ("GET", "/admin/tenants/acme/engine", null),
        ("POST", "/admin/tenants", """{"id":"intruder"}"""),
        ("PATCH", "/admin/tenants/acme", """{"weight":999}"""),
        ("POST", "/admin/tenants/acme/pause", null),
        ("POST", "/admin/tenants/held/resume", null),
        ("DELETE", "/admin/tenants/acme", null),
        ("GET", "/admin/guardian/runs", null),
        ("POST", "/admin/guardian/run-now", null),
    ];

    /// <summary>Ways to write one admin path that routing still sends to the same endpoint.</summary>
    private static IEnumerable<string> Spellings(string path)
    {
        var rest = path["/admin".Length..];
        yield return path;
        yield return "/Admin" + rest;
        yield return "/ADMIN" + UpperLiterals(rest);
        yield return "/aDmIn" + rest;
        yield return "/%61dmin" + rest;
        yield return "/%41DMIN" + rest;
        yield return "/admin" + rest.Replace("/t", "/%74").Replace("/g", "/%67");
        yield return path + "/";
        yield return "/Admin" + rest + "/";
        yield return "/admin/." + rest;
        yield return "/x/../Admin" + rest;
    }

    // Route values (a tenant id) keep their case; only the literal segments change.
    private static string UpperLiterals(string rest) =>
        string.Join('/', rest.Split('/').Select(s => s is "acme" or "held" ? s : s.ToUpperInvariant()));

    [Fact(Timeout = 180_000)]
    public async Task No_spelling_of_an_admin_path_reaches_an_endpoint_without_the_token_on_either_port()
    {
        await using var stack = await new StackBuilder().Kafka(1, 1).StartAsync();
        await stack.Db.RegisterTenantsAsync(["acme"], weight: 2);
        await stack.Db.RegisterTenantsAsync(["held"], status: "paused");
        var (admin, metrics) = (stack.Worker.AdminPort, stack.Worker.MetricsPort);
        const string Token = $"Bearer {InProcessWorker.AdminToken}";

        var refused = new List<string>();
        foreach (var (method, path, body) in Verbs)
        {
            foreach (var target in Spellings(path))
            {
                foreach (var authorization in new string?[] { null, "Bearer wrong", $"Basic {InProcessWorker.AdminToken}" })
                {
                    var onAdmin = await RawHttp.StatusAsync(admin, method, target, body, authorization);
                    if (onAdmin != 401) refused.Add($"admin port: {method} {target} ({authorization ?? "no token"}) -> {onAdmin}");
                }
                // The metrics port never serves the admin API, not even with the right token.
                foreach (var authorization in new string?[] { null, Token })
                {
                    var onMetrics = await RawHttp.StatusAsync(metrics, method, target, body, authorization);
                    if (onMetrics != 404) refused.Add($"metrics port: {method} {target} ({(authorization is null ? "no token" : "token")}) -> {onMetrics}");
                }
            }
        }
        Assert.True(refused.Count == 0, string.Join("\n", refused));

        Assert.Equal("active", await stack.Db.ScalarAsync<string>("SELECT status FROM tenants WHERE id = 'acme'"));
        Assert.Equal(2, await stack.Db.ScalarAsync<int>("SELECT weight FROM tenants WHERE id = 'acme'"));
        Assert.Equal("paused", await stack.Db.ScalarAsync<string>("SELECT status FROM tenants WHERE id = 'held'"));
        Assert.Equal(0L, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM tenants WHERE id = 'intruder'"));
        Assert.Equal(0L, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM guardian_runs"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Those_spellings_do_reach_the_endpoint_with_the_token_on_the_admin_port()
    {
        // The refusals above mean something only if routing really sends these spellings to the endpoint.
        await using var stack = await new StackBuilder().Kafka(1, 1).StartAsync();
        await stack.Db.RegisterTenantsAsync(["acme"]);
        const string Token = $"Bearer {InProcessWorker.AdminToken}";
        foreach (var target in Spellings("/admin/tenants/acme"))
        {
            Assert.True(200 == await RawHttp.StatusAsync(stack.Worker.AdminPort, "GET", target, null, Token), target);
        }
        Assert.Equal(200, await RawHttp.StatusAsync(stack.Worker.AdminPort, "POST", "/Admin/Tenants/acme/Pause", null, Token));
        Assert.Equal("paused", await stack.Db.ScalarAsync<string>("SELECT status FROM tenants WHERE id = 'acme'"));
        // And the admin port serves nothing but the admin API.
        foreach (var target in new[] { "/metrics", "/healthz", "/readyz", "/Metrics" })
        {
            Assert.Equal(404, await RawHttp.StatusAsync(stack.Worker.AdminPort, "GET", target, null, Token));
        }
    }
}
