using System.Globalization;
using Fairlane.LoadTest.Scenarios;

namespace Fairlane.LoadTest.Stack;

/// <summary>The FAIRLANE__ environment of one worker of the run's fleet.</summary>
internal static class WorkerSettings
{
    public static Dictionary<string, string> For(RunIdentity run, RunDatabase db, LocalServers servers, string bootstrapServers,
        ScenarioSettings s, int index, int metricsPort, int adminPort)
    {
        static string N(int v) => v.ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>
        {
            ["FAIRLANE__KAFKA__BOOTSTRAPSERVERS"] = bootstrapServers,
            ["FAIRLANE__KAFKA__TOPICPREFIX"] = run.FairlanePrefix,
            ["FAIRLANE__KAFKA__GROUPID"] = run.FairlanePrefix,
            ["FAIRLANE__KAFKA__PARTITIONS"] = N(s.Partitions),
            ["FAIRLANE__POSTGRES__CONNECTIONSTRING"] = db.AppConnectionString,
            ["FAIRLANE__POSTGRES__OWNERCONNECTIONSTRING"] = db.OwnerConnectionString,
            // The fleet shares the run's key prefix, and so its Redis channels and the Guardian lock.
            ["FAIRLANE__REDIS__KEYPREFIX"] = run.FairlanePrefix + ":",
            ["FAIRLANE__CHANNELS__CREDENTIALKEY"] = run.CredentialKey,
            ["FAIRLANE__ADMIN__TOKEN"] = run.AdminToken,
            ["FAIRLANE__ADMIN__PORT"] = N(adminPort),
            ["FAIRLANE__HTTP__METRICSPORT"] = N(metricsPort),
            ["FAIRLANE__WORKER__NODEID"] = $"load-{index + 1}",
            ["FAIRLANE__ENGINE__WORKERS"] = N(s.EngineWorkers),
            ["FAIRLANE__ENGINE__ARTIFICIALHANDLERDELAYMS"] = N(s.HandlerDelayMs),
            // Guardian runs only when the guardian scenario asks through the admin API.
            ["FAIRLANE__GUARDIAN__CRON"] = "0 0 0 1 1 ? 2099",
            ["FAIRLANE__LOGGING__MINIMUMLEVEL"] = "Warning",
            ["FAIRLANE__LOGGING__FORMAT"] = "text",
        };
        for (var i = 0; i < servers.RedisPorts.Count; i++) environment[$"FAIRLANE__REDIS__ENDPOINTS__{i}"] = $"127.0.0.1:{servers.RedisPorts[i]}";
        if (s.MaxBatch is { } batch) environment["FAIRLANE__ENGINE__MAXBATCHSIZE"] = N(batch);
        if (s.QuantumMs is { } quantum) environment["FAIRLANE__ENGINE__QUANTUMMS"] = N(quantum);
        foreach (var (key, value) in s.WorkerOverrides) environment["FAIRLANE__" + key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant()] = value;
        return environment;
    }
}
