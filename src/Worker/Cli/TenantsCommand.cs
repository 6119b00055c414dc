using Fairlane.Agents.Tenants;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Tenants;
using Npgsql;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Cli;

/// <summary>
/// <c>fairlane tenants VERB</c>: the admin API's tenant verbs without a running node. It goes through the
/// same administration service, straight to PostgreSQL (as the schema owner), and announces each change
/// on Redis like the API does, so running nodes apply it at once.
/// </summary>
internal static class TenantsCommand
{
    public const string Json = "--json";
    private const string Name = "--name";


    // The options each verb takes besides --json; every verb but list names one tenant.
    private static readonly Dictionary<string, string[]> Verbs = new(StringComparer.Ordinal)
    {
        ["list"] = [],
        ["show"] = [],
        ["register"] = [Name, .. TenantLimitOptions.All],
        ["set"] = TenantLimitOptions.All,
        ["pause"] = [],
        ["resume"] = [],
        ["unregister"] = [],
    };

    public static async Task<int> RunAsync(CommandLine line)
    {
        var (verb, id) = ReadVerb(line);
        var registration = verb == "register" ? new TenantRegistration(id!, NameOf(line), TenantLimitOptions.Read(line)) : null;
        var limits = verb == "set" ? TenantLimitOptions.Read(line) : null;
        if (limits is { IsEmpty: true })
            throw new UsageException($"tenants set needs at least one of {string.Join(", ", TenantLimitOptions.All)}.");

        var configuration = CliConfiguration.Build(line.ConfigurationArgs);
        var postgres = configuration.GetValidated<PostgresOptions, PostgresOptionsValidator>(PostgresOptions.Section);
        var workers = configuration.GetValidated<EngineOptions, EngineOptionsValidator>(EngineOptions.Section).Workers;
        var redis = Microsoft.Extensions.Options.Options.Create(configuration.GetValidated<RedisOptions, RedisOptionsValidator>(RedisOptions.Section));
        using var loggers = CliConfiguration.Loggers(Serilog.Events.LogEventLevel.Warning);
        await using var owner = NpgsqlDataSource.Create(postgres.OwnerConnectionString);
        await using var nodes = new RedisNodes(redis);
        var administration = new TenantAdministration(
            owner, new TenantChangeNotices(nodes, redis, loggers.CreateLogger<TenantChangeNotices>()),
            loggers.CreateLogger<TenantAdministration>());
        var output = new TenantsOutput(Console.Out, line.Has(Json), workers);
        var ct = CancellationToken.None;
        try
        {
            switch (verb)
            {
                case "list":
                    output.List(await administration.ListAsync(ct));
                    break;
                case "show":
                    output.Tenant(await administration.ShowAsync(id!, ct));
                    break;
                case "register":
                    var (tenant, reactivated) = await administration.RegisterAsync(registration!, ct);
                    output.Tenant(tenant, reactivated ? $"Tenant '{id}' was unregistered and is active again." : $"Tenant '{id}' is registered.");
                    break;
                case "set":
                    output.Tenant(await administration.SetLimitsAsync(id!, limits!, ct), $"Tenant '{id}' has these limits now.");
                    break;
                case "pause":
                    output.Tenant(await administration.PauseAsync(id!, ct), $"Tenant '{id}' is paused: its events wait in the park.");
                    break;
                case "resume":
                    output.Tenant(await administration.ResumeAsync(id!, ct), $"Tenant '{id}' is active.");
                    break;
                case "unregister":
                    output.Tenant(await administration.UnregisterAsync(id!, ct),
                        $"Tenant '{id}' is unregistered: its new events are dead-lettered; its data is kept.");
                    break;
            }
            return ExitCodes.Ok;
        }
        catch (TenantAdminException ex)
        {
            await Console.Error.WriteLineAsync($"fairlane: {ex.Message}");
            return ex.Problem == TenantAdminProblem.Invalid ? ExitCodes.Usage : ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"fairlane: PostgreSQL did not take the request: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static (string Verb, string? Id) ReadVerb(CommandLine line)
    {
        var verb = line.Arguments.Count > 0 ? line.Arguments[0] : "";
        if (!Verbs.TryGetValue(verb, out var allowed))
        {
            var given = line.Arguments.Count > 0 ? $"'{line.Arguments[0]}' is not one; " : "";
            throw new UsageException($"tenants needs a verb: {given}use one of {string.Join(", ", Verbs.Keys)}.");
        }
        if (line.Options.FirstOrDefault(o => o != Json && !allowed.Contains(o)) is { } stray)
            throw new UsageException($"'tenants {verb}' takes no option '{stray}'. Run 'fairlane --help'.");
        var rest = line.Arguments.Skip(1).ToList();
        var wanted = verb == "list" ? 0 : 1;
        if (rest.Count < wanted) throw new UsageException($"tenants {verb} needs a tenant id: fairlane tenants {verb} <id>.");
        if (rest.Count > wanted) throw new UsageException($"tenants {verb}: unexpected argument '{rest[wanted]}'.");
        return (verb, wanted == 1 ? rest[0] : null);
    }

    private static string? NameOf(CommandLine line)
    {
        if (!line.TryGet(Name, out var name)) return null;
        return name ?? throw new UsageException($"{Name} takes the tenant's display name; got nothing.");
    }
}
