using System.Globalization;
using System.Text.RegularExpressions;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Deploy;

/// <summary>
/// scripts/run-dev.sh end to end, non-interactively (FAIRLANE_DEMO_ONCE=1): its own Kafka cluster and channel
/// simulator, the catalogue imported through the admin API, demo webhooks for the mapped items, the summary.
/// It runs against the shared test servers (FAIRLANE_DEV_SERVERS=external) with a database, Redis key prefix,
/// state directory and ports of its own, on the Release build the tests run from (FAIRLANE_SKIP_BUILD=1).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // bash
public sealed partial class DemoScriptTests
{
    private const int Events = 300;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(110);

    [Fact(Timeout = 120_000)]
    public async Task The_demo_pushes_syncs_to_every_channel_type_and_names_no_unmapped_item()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var state = DeployFiles.TempDirectory("fl-demo");
        var environment = CleanEnvironment();
        environment["FAIRLANE_DEMO_ONCE"] = "1";
        environment["FAIRLANE_DEV_SERVERS"] = "external";
        environment["FAIRLANE_SKIP_BUILD"] = "1";
        environment["FAIRLANE_STATE_DIR"] = state.FullName;
        environment["FAIRLANE_DEMO_EVENTS"] = Events.ToString(CultureInfo.InvariantCulture);
        environment["FAIRLANE_DEMO_SIM_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        environment["FAIRLANE__HTTP__METRICSPORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        environment["FAIRLANE__ADMIN__PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        environment["FAIRLANE__POSTGRES__CONNECTIONSTRING"] = db.AppConnectionString;
        environment["FAIRLANE__POSTGRES__OWNERCONNECTIONSTRING"] = db.OwnerConnectionString;
        environment["FAIRLANE__REDIS__ENDPOINTS__0"] = $"127.0.0.1:{TestServers.RedisPorts[0]}";
        environment["FAIRLANE__REDIS__KEYPREFIX"] = TestServers.UniqueName("demo") + ":";

        var run = await ExternalTool.RunAsync("bash", [DeployFiles.Path("scripts", "run-dev.sh")], Deadline, environment);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"webhooks applied : {Events} of {Events}", run.Stdout);
        var pushes = PushesLine().Match(run.Stdout);
        Assert.True(pushes.Success, run.ToString());
        foreach (var type in new[] { "eposnow", "wix", "deliveroo" })
            Assert.True(int.Parse(pushes.Groups[type].Value, CultureInfo.InvariantCulture) > 0, $"no push reached a {type} account:\n{run}");
        Assert.Matches(@"Guardian run\s+: outcome=Completed", run.Stdout);

        // The database the daemon wrote: every webhook applied, none named an unmapped item, and syncs were recorded.
        Assert.Equal(Events, await db.ScalarAsync<long>("SELECT count(*) FROM processed_events WHERE topic = 'fairlane.webhooks'"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE kind = 'unknown_mapping'"));
        Assert.Equal(180, await db.ScalarAsync<long>("SELECT count(*) FROM product_channel_mappings WHERE tenant_id LIKE 'demo-%'"));
    }

    // Only what the test sets: no developer settings leak in from the test runner's environment.
    private static Dictionary<string, string?> CleanEnvironment() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("FAIRLANE", StringComparison.Ordinal))
            .ToDictionary(k => k, _ => (string?)null, StringComparer.Ordinal);

    [GeneratedRegex(@"syncs pushed\s+: eposnow (?<eposnow>\d+), wix (?<wix>\d+), deliveroo (?<deliveroo>\d+)")]
    private static partial Regex PushesLine();
}
