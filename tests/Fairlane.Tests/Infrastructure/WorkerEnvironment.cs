using System.Globalization;

namespace Fairlane.Tests.Infrastructure;

/// <summary>The environment a `fairlane` process needs to run against a test's own servers.</summary>
internal static class WorkerEnvironment
{
    public static Dictionary<string, string> For(TestDatabase? db, string bootstrap, string topicPrefix, int metricsPort) => new()
    {
        ["FAIRLANE__KAFKA__BOOTSTRAPSERVERS"] = bootstrap,
        ["FAIRLANE__KAFKA__TOPICPREFIX"] = topicPrefix,
        ["FAIRLANE__KAFKA__GROUPID"] = topicPrefix + "-group",
        ["FAIRLANE__POSTGRES__CONNECTIONSTRING"] = db?.AppConnectionString ?? TestServers.AppConnectionString("fairlane"),
        ["FAIRLANE__POSTGRES__OWNERCONNECTIONSTRING"] = db?.OwnerConnectionString ?? TestServers.OwnerConnectionString("fairlane"),
        ["FAIRLANE__REDIS__ENDPOINTS__0"] = $"127.0.0.1:{TestServers.RedisPorts[0]}",
        ["FAIRLANE__REDIS__ENDPOINTS__1"] = $"127.0.0.1:{TestServers.RedisPorts[1]}",
        ["FAIRLANE__REDIS__ENDPOINTS__2"] = $"127.0.0.1:{TestServers.RedisPorts[2]}",
        ["FAIRLANE__CHANNELS__CREDENTIALKEY"] = TestServers.CredentialKey,
        ["FAIRLANE__GUARDIAN__CRON"] = "0 0 0 1 1 ? 2099", // runs only when a test schedules them
        // The processes of one test share its topic prefix, and so its Redis channels, like a fleet.
        ["FAIRLANE__REDIS__KEYPREFIX"] = topicPrefix + ":",
        ["FAIRLANE__HTTP__METRICSPORT"] = metricsPort.ToString(CultureInfo.InvariantCulture),
        ["FAIRLANE__ADMIN__PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["FAIRLANE__ADMIN__TOKEN"] = InProcessWorker.AdminToken,
    };
}
