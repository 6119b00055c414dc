using System.Text;
using System.Text.Json;
using Fairlane.Agents.Catalog;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Storage;
using Fairlane.Worker.Admin;
using Fairlane.Worker.Configuration;
using Npgsql;

namespace Fairlane.Worker.Cli;

/// <summary>
/// <c>fairlane catalog import FILE --tenant ID</c> and <c>fairlane catalog show ID</c>: the admin API's bulk import and
/// catalogue read without a running node. It reads the same file format (JSON, or CSV for a <c>.csv</c> file) and goes
/// through the same catalogue service, as the app role bound to the tenant, so row-level security applies as it does to the API.
/// </summary>
internal static class CatalogCommand
{
    private const string Tenant = "--tenant";


    public static async Task<int> RunAsync(CommandLine line)
    {
        var (verb, argument) = ReadVerb(line);
        string? tenant = null;
        if (verb == "import" && (!line.TryGet(Tenant, out tenant) || string.IsNullOrEmpty(tenant)))
            throw new UsageException($"catalog import needs the tenant: fairlane catalog import FILE {Tenant} ID.");

        var configuration = CliConfiguration.Build(line.ConfigurationArgs);
        var postgres = configuration.GetValidated<PostgresOptions, PostgresOptionsValidator>(PostgresOptions.Section);
        var channels = configuration.GetValidated<ChannelOptions, ChannelOptionsValidator>(ChannelOptions.Section);
        await using var app = NpgsqlDataSource.Create(postgres.ConnectionString);
        var catalog = new CatalogService(new TenantDatabase(app), CredentialProtector.FromBase64(channels.CredentialKey));
        var ct = CancellationToken.None;
        try
        {
            if (verb == "import")
            {
                var import = await ReadFileAsync(argument, ct);
                var result = await catalog.ImportAsync(tenant!, import, ct);
                Console.WriteLine(line.Has(TenantsCommand.Json)
                    ? JsonSerializer.Serialize(result, CatalogJsonContext.Default.CatalogImportResult)
                    : $"Catalogue of tenant '{tenant}' imported: {result.Products} products, {result.Channels} channels, {result.Mappings} mappings.");
            }
            else
            {
                var snapshot = await catalog.ShowAsync(argument, ct);
                Console.WriteLine(line.Has(TenantsCommand.Json) ? JsonSerializer.Serialize(snapshot, CatalogJsonContext.Default.CatalogSnapshot) : Text(snapshot));
            }
            return ExitCodes.Ok;
        }
        catch (CatalogException ex)
        {
            await Console.Error.WriteLineAsync($"fairlane: {ex.Message}");
            return ex.Problem == CatalogProblem.Invalid ? ExitCodes.Usage : ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"fairlane: PostgreSQL did not take the request: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    // The same readers as PUT /admin/tenants/{id}/catalog: a .csv file is CSV, anything else JSON.
    private static async Task<CatalogImport> ReadFileAsync(string path, CancellationToken ct)
    {
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(path, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"catalog import cannot read '{path}': {ex.Message}");
        }
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return CatalogCsvReader.Read(Encoding.UTF8.GetString(content));
        using var document = CatalogJsonReader.Parse(content);
        return CatalogJsonReader.ReadImport(document.RootElement);
    }

    private static (string Verb, string Argument) ReadVerb(CommandLine line)
    {
        var verb = line.Arguments.Count > 0 ? line.Arguments[0] : "";
        if (verb is not ("import" or "show")) throw new UsageException("catalog needs a verb: import FILE --tenant ID, or show ID.");
        if (verb == "show" && line.Has(Tenant)) throw new UsageException($"'catalog show' takes the tenant as its argument, not {Tenant}.");
        var rest = line.Arguments.Skip(1).ToList();
        var what = verb == "import" ? "a file" : "a tenant id";
        if (rest.Count != 1) throw new UsageException($"catalog {verb} needs {what}: fairlane catalog {(verb == "import" ? "import FILE --tenant ID" : "show ID")}.");
        return (verb, rest[0]);
    }

    private static string Text(CatalogSnapshot s)
    {
        var text = new StringBuilder();
        text.AppendLine($"Catalogue of tenant '{s.Tenant}': {s.Products.Count} products, {s.Channels.Count} channels, {s.Mappings.Count} mappings");
        text.AppendLine("Products (id, sku, stock, buffer, low-stock threshold, name):");
        foreach (var p in s.Products) text.AppendLine($"  {p.Id}\t{p.Sku}\t{p.Stock}\t{p.BufferStock}\t{p.LowStockThreshold?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}\t{p.Name}");
        text.AppendLine("Channels (id, type, status, credentials, base URL, name):");
        foreach (var c in s.Channels) text.AppendLine($"  {c.Id}\t{c.Type}\t{c.Status}\t{(c.HasCredentials ? "set" : "none")}\t{c.BaseUrl}\t{c.Name}");
        text.AppendLine("Mappings (channel, item, product):");
        foreach (var m in s.Mappings) text.AppendLine($"  {m.ChannelId}\t{m.ExternalId}\t{m.ProductId}");
        return text.ToString().TrimEnd();
    }
}
