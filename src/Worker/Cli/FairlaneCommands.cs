using System.CommandLine;
using static Fairlane.Worker.Cli.CliOptions;

namespace Fairlane.Worker.Cli;

/// <summary>
/// The grammar of <c>fairlane</c>: every verb, its options and arguments, and their help text. The help,
/// the validation messages, the shell completion and the README's CLI reference are all generated from it.
/// Every command runs the same action, which hands the parse to <see cref="FairlaneCli"/>'s verb table.
/// </summary>
internal static class FairlaneCommands
{
    public static RootCommand Build(Func<ParseResult, CancellationToken, Task<int>> action)
    {
        var root = new RootCommand("fairlane — multi-tenant inventory-sync worker. With no command it runs the daemon.");
        // Our own --version prints the build version, not the assembly's; it is dispatched like a verb.
        root.Options.Remove(root.Options.OfType<VersionOption>().Single());
        root.Options.Add(Flag("--version", "Print the version."));
        root.Subcommands.Add(Verb("run", "Run the daemon (the default): consume, process, serve /metrics."));
        root.Subcommands.Add(Verb("migrate", "Apply pending database migrations and exit."));
        root.Subcommands.Add(Verb("produce", "Send N valid webhook events spread over several tenants (registering them first).",
            Whole("--demo", "N", 1, 100_000_000, "How many events to send (required)."),
            Whole("--tenants", "K", 1, 10_000, "How many demo tenants [default: 8]."),
            Whole("--items", "M", 1, 1_000, "How many items per channel: sales of item-000.. on channels {type}-main of demo-01.. [default: 50].")));
        root.Subcommands.Add(TenantsCommands());
        root.Subcommands.Add(Verb("guardian", "Lead a Guardian reconciliation run, or list the latest runs.",
            Verb("run-now", "Lead a reconciliation run now (takes the same lock as the schedule) and wait until the fleet has reconciled every tenant.",
                Flag(Json, "Print JSON instead of text.")),
            Verb("runs", "List the latest runs.",
                Whole("--limit", "N", 1, 1_000, "How many runs [default: 20]."), Flag(Json, "Print JSON instead of text."))));
        root.Subcommands.Add(Verb("topics", "Manage the Kafka topics.",
            Verb("ensure", "Create the missing Fairlane topics (Kafka:Partitions partitions each, the control topic compacted) and print every topic's partition count; existing topics are never altered.",
                Whole("--timeout", "S", 1, 600, "How long Kafka may take to answer, in seconds [default: 30]."))));
        root.Subcommands.Add(DlqCommands());
        root.Subcommands.Add(Verb("catalog", "A tenant's catalogue, without a running node.",
            Verb("import", "Upsert a catalogue file (JSON, or CSV if FILE ends in .csv; the format of PUT /admin/tenants/{id}/catalog) in one transaction.",
                Value("FILE", "The catalogue file."), Text("--tenant", "ID", "The tenant whose catalogue it is (required)."),
                Flag(Json, "Print the admin API's JSON instead of text.")),
            Verb("show", "Show a tenant's products, channels (never their credentials) and mappings.",
                Value("ID", "The tenant."), Flag(Json, "Print the admin API's JSON instead of text."))));
        root.Subcommands.Add(Verb("healthcheck", "Exit 0 when this host's daemon answers /healthz, else 1 (the container's HEALTHCHECK)."));
        root.Subcommands.Add(Verb("completion", "Print a shell completion script: source <(fairlane completion bash).",
            new Argument<string>("SHELL") { Description = "The shell: bash." }.AcceptOnlyFromAmong(CompletionCommand.Shells)));
        root.Subcommands.Add(Verb("version", "Print the version."));
        root.Subcommands.Add(Verb("help", "Print this help."));

        var help = root.Options.OfType<System.CommandLine.Help.HelpOption>().Single();
        help.Action = new FairlaneHelpAction((System.CommandLine.Help.HelpAction)help.Action!);
        Prepare(root, action);
        return root;
    }

    private static Command TenantsCommands()
    {
        static Command Verb(string name, string description, params Symbol[] symbols) =>
            CliOptions.Verb(name, description, [Value("ID", "The tenant id."), .. symbols, Flag(Json, "Print the admin API's JSON instead of text.")]);
        return CliOptions.Verb("tenants", "Administer tenants straight in PostgreSQL (no running node needed); each change is announced on Redis, so running nodes apply it at once.",
            CliOptions.Verb("list", "List the registered tenants.", Flag(Json, "Print the admin API's JSON instead of text.")),
            Verb("show", "Show a tenant's status and limits."),
            Verb("register", "Register a tenant (a deleted one is reactivated).",
                [Text("--name", "NAME", "The tenant's display name."), .. TenantLimitOptions.Declare()]),
            Verb("set", "Change a tenant's limits; what is not given stays.", TenantLimitOptions.Declare()),
            Verb("pause", "Pause a tenant: its events wait in the park."),
            Verb("resume", "Resume a paused tenant."),
            Verb("unregister", "Unregister a tenant: its events are dead-lettered, its data kept."));
    }

    private static Command DlqCommands()
    {
        Option[] Filter() =>
        [
            Text("--tenant", "T", "Only this tenant's dead letters."),
            Text("--reason", "R", "Only dead letters of this reason (see 'fairlane dlq list')."),
        ];
        return Verb("dlq", "The dead-letter index, without a running node.",
            Verb("list", "List dead letters, oldest first (up to 1000).",
                [.. Filter(), Since(),
                 Flag(Json, "Print JSON instead of text.")]),
            Verb("replay", "Re-send the dead letters of a reason, not replayed yet, to their origin topic once their cause is fixed; an event already applied is skipped.",
                [.. Filter(), Flag("--dry-run", "Only list what would be replayed."), Flag("--again", "Also re-send those replayed before."),
                 Flag(Json, "Print JSON instead of text.")]));
    }

    private static Option<string> Since()
    {
        var since = Text("--since", "1h|ISO", "Only those dead-lettered since an age (90s, 30m, 1h, 7d) or an ISO 8601 time.");
        since.Validators.Add(result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (DeadLetters.DeadLetterSince.Parse(text, DateTimeOffset.UtcNow) is null)
                result.AddError($"--since takes {DeadLetters.DeadLetterSince.Expected}; got '{text}'.");
        });
        return since;
    }

    // Unmatched tokens are ours to judge (see CommandLine.From): the verbs keep their own messages.
    private static void Prepare(Command command, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(action);
        foreach (var sub in command.Subcommands) Prepare(sub, action);
    }
}
