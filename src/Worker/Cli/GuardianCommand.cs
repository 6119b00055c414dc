using System.Globalization;
using System.Text.Json;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Guardian;
using Npgsql;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Cli;

/// <summary>
/// <c>fairlane guardian run-now|runs</c>. run-now takes the same lock as the schedule (so it never
/// runs beside a scheduled run), fans the run out, and waits until the fleet has reconciled every
/// tenant: running nodes must be up to do the work. runs lists the latest runs.
/// </summary>
internal static class GuardianCommand
{
    private const string Limit = "--limit";

    public static async Task<int> RunAsync(CommandLine line)
    {
        var verb = line.Arguments.Count == 1 ? line.Arguments[0] : null;
        if (verb is not ("run-now" or "runs"))
            throw new UsageException("guardian needs one verb: run-now or runs.");
        if (verb == "run-now" && line.Has(Limit)) throw new UsageException("'guardian run-now' takes no option '--limit'.");

        var configuration = CliConfiguration.Build(line.ConfigurationArgs);
        var postgres = Microsoft.Extensions.Options.Options.Create(
            configuration.GetValidated<PostgresOptions, PostgresOptionsValidator>(PostgresOptions.Section));
        await using var dataSources = new DataSources(postgres);
        var json = line.Has(TenantsCommand.Json);
        try
        {
            return verb == "runs"
                ? await ListAsync(dataSources, ReadLimit(line), json)
                : await RunNowAsync(configuration, dataSources, json);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"fairlane: PostgreSQL did not answer: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task<int> RunNowAsync(IConfiguration configuration, DataSources dataSources, bool json)
    {
        var redis = Microsoft.Extensions.Options.Options.Create(configuration.GetValidated<RedisOptions, RedisOptionsValidator>(RedisOptions.Section));
        var guardian = Microsoft.Extensions.Options.Options.Create(configuration.GetValidated<GuardianOptions, GuardianOptionsValidator>(GuardianOptions.Section));
        var worker = Microsoft.Extensions.Options.Options.Create(configuration.GetValidated<WorkerOptions, WorkerOptionsValidator>(WorkerOptions.Section));
        using var loggers = CliConfiguration.Loggers(Serilog.Events.LogEventLevel.Information);
        await using var nodes = new RedisNodes(redis);
        using var leadership = new GuardianLock(nodes, redis, loggers);
        var runner = new GuardianRunner(leadership, dataSources, guardian, worker, loggers.CreateLogger<GuardianRunner>());

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        var report = await runner.RunAsync("manual", null, stop.Token);
        if (json) Console.WriteLine(JsonSerializer.Serialize(report, GuardianJson.Default.GuardianRunReport));
        else Console.WriteLine(Describe(report));
        return report.Outcome == GuardianOutcome.Completed ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<int> ListAsync(DataSources dataSources, int limit, bool json)
    {
        var runs = await GuardianRuns.LatestAsync(dataSources.Owner, limit, CancellationToken.None);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(runs, GuardianJson.Default.ListGuardianRunRecord));
            return ExitCodes.Ok;
        }
        Console.WriteLine($"{"started (UTC)",-20} {"status",-10} {"trigger",-8} {"node",-12} {"epoch",6} {"tenants",9} {"failed",6} {"checks",8} {"repairs",8} {"alerts",7} {"seconds",8}");
        foreach (var r in runs)
        {
            var seconds = r.FinishedAt is { } end ? (end - r.StartedAt).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine($"{r.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {r.Status,-10} {r.Trigger,-8} {r.Node,-12} {r.Epoch,6} " +
                $"{$"{r.TenantsDone}/{r.Tenants}",9} {r.TenantsFailed,6} {r.Checks,8} {r.Repairs,8} {r.Alerts,7} {seconds,8}");
        }
        return ExitCodes.Ok;
    }

    private static string Describe(GuardianRunReport report) => report.Outcome switch
    {
        GuardianOutcome.Completed => $"Run {report.RunId} completed under epoch {report.Epoch}: {report.Tenants} tenants ({report.TenantsFailed} failed) in {report.Duration.TotalSeconds:F1} s.",
        GuardianOutcome.Busy => "Another node holds the Guardian lock (a run is in progress); nothing started.",
        GuardianOutcome.NoQuorum => "No majority of the Redis nodes granted the lock; nobody may lead a run now.",
        GuardianOutcome.Fenced => $"Run {report.RunId} was superseded by a newer leader (epoch above {report.Epoch}).",
        _ => $"Run {report.RunId} was cancelled: the lock was lost or Guardian:MaxRunMs passed.",
    };

    private static int ReadLimit(CommandLine line)
    {
        if (!line.TryGet(Limit, out var text)) return 20;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1_000
            ? n
            : throw new UsageException($"{Limit} takes a number from 1 to 1000; got '{text}'.");
    }
}
