using System.Text.Json;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.DeadLetters;
using Fairlane.Worker.Infrastructure;
using Npgsql;

namespace Fairlane.Worker.Cli;

/// <summary>
/// <c>fairlane dlq list|replay</c>: the dead-letter index without a running node. list reads
/// PostgreSQL (as the owner: the index holds keys of no registered tenant too); replay also talks to
/// Kafka, re-sending each matching dead letter's original record to its origin topic.
/// </summary>
internal static class DlqCommand
{
    private const string Tenant = "--tenant";
    private const string Reason = "--reason";
    private const string Since = "--since";
    private const string DryRun = "--dry-run";
    private const string Again = "--again";

    public static async Task<int> RunAsync(CommandLine line)
    {
        var verb = line.Arguments.Count == 1 ? line.Arguments[0] : null;
        if (verb is not ("list" or "replay"))
            throw new UsageException("dlq needs one verb: list or replay.");
        foreach (var flag in new[] { DryRun, Again, TenantsCommand.Json })
            if (line.TryGet(flag, out var value) && value is not null) throw new UsageException($"{flag} takes no value; got '{value}'.");
        if (verb == "list" && (line.Has(DryRun) || line.Has(Again))) throw new UsageException("'dlq list' takes neither --dry-run nor --again.");
        if (verb == "replay" && line.Has(Since)) throw new UsageException("'dlq replay' takes no --since: it replays every matching dead letter not replayed yet.");
        var filter = new DeadLetterFilter(Value(line, Tenant), Value(line, Reason), ReadSince(line));
        if (verb == "replay" && filter.Reason is null) throw new UsageException("dlq replay needs --reason R (see 'fairlane dlq list' for the reasons).");

        var configuration = CliConfiguration.Build(line.ConfigurationArgs);
        var postgres = configuration.GetValidated<PostgresOptions, PostgresOptionsValidator>(PostgresOptions.Section);
        await using var owner = NpgsqlDataSource.Create(postgres.OwnerConnectionString);
        var index = new DeadLetterIndex(owner);
        var json = line.Has(TenantsCommand.Json);
        try
        {
            if (verb == "list")
            {
                var entries = await index.FindAsync(filter, onlyUnreplayed: false, CancellationToken.None);
                Console.WriteLine(json ? JsonSerializer.Serialize(entries, DeadLetterJson.Default.ListDeadLetterEntry) : DlqOutput.Table(entries));
                return ExitCodes.Ok;
            }
            var kafka = configuration.GetValidated<KafkaOptions, KafkaOptionsValidator>(KafkaOptions.Section);
            var worker = configuration.GetValidated<WorkerOptions, WorkerOptionsValidator>(WorkerOptions.Section);
            using var loggers = CliConfiguration.Loggers(Serilog.Events.LogEventLevel.Warning);
            var replayer = new DeadLetterReplayer(index, new DeadLetterStore(owner),
                new KafkaClientFactory(Microsoft.Extensions.Options.Options.Create(kafka), Microsoft.Extensions.Options.Options.Create(worker)),
                loggers.CreateLogger<DeadLetterReplayer>());
            var report = await replayer.ReplayAsync(filter, line.Has(DryRun), line.Has(Again), CancellationToken.None);
            Console.WriteLine(json ? JsonSerializer.Serialize(report, DeadLetterJson.Default.DeadLetterReplayReport) : DlqOutput.Describe(report));
            return report.Failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"fairlane: PostgreSQL did not answer: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static string? Value(CommandLine line, string option)
    {
        if (!line.TryGet(option, out var value)) return null;
        return string.IsNullOrWhiteSpace(value) ? throw new UsageException($"{option} needs a value.") : value;
    }

    private static DateTimeOffset? ReadSince(CommandLine line) =>
        Value(line, Since) is not { } text
            ? null
            : DeadLetterSince.Parse(text, DateTimeOffset.UtcNow) ?? throw new UsageException($"{Since} takes {DeadLetterSince.Expected}; got '{text}'.");
}
