using System.Text.Json;
using Fairlane.Tests.Agents;
using Fairlane.Tests.Infrastructure;
using Fairlane.Tests.Worker.Tenants;

namespace Fairlane.Tests.Worker;

/// <summary>`fairlane catalog import|show` as a process: the same file ends in the same rows as through the API; exit codes.</summary>
[Trait("Category", "Integration")]
public sealed class CatalogCliTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static string FileWith(string content, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact(Timeout = 180_000)]
    public async Task Api_and_cli_imports_of_the_same_file_end_in_the_same_rows()
    {
        await using var stack = await new StackBuilder().Kafka(1, 1).Tenants("by-api", "by-cli", "by-csv").StartAsync();
        using var admin = new AdminClient(stack.Worker.AdminPort);
        var json = FileWith(CatalogFileFormatTests.Json, ".json");
        var csv = FileWith(CatalogFileFormatTests.Csv, ".csv");
        try
        {
            Assert.Equal(200, (await admin.SendAsync(HttpMethod.Put, "/admin/tenants/by-api/catalog", await File.ReadAllTextAsync(json))).Status);
            var (code, stdout, stderr) = await stack.RunCliAsync(["catalog", "import", json, "--tenant", "by-cli"], Deadline);
            Assert.True(code == 0, stderr);
            Assert.Contains("2 products, 2 channels, 2 mappings", stdout);
            (code, _, stderr) = await stack.RunCliAsync(["catalog", "import", csv, "--tenant", "by-csv"], Deadline);
            Assert.True(code == 0, stderr);

            var byApi = await CatalogApiTests.CatalogRowsAsync(stack.Db, "by-api");
            Assert.Contains("p1|SKU-1|Mug \"large\"|10|2|3", byApi);
            Assert.Equal(byApi, await CatalogApiTests.CatalogRowsAsync(stack.Db, "by-cli"));
            Assert.Equal(byApi, await CatalogApiTests.CatalogRowsAsync(stack.Db, "by-csv"));

            (code, stdout, _) = await stack.RunCliAsync(["catalog", "show", "by-cli", "--json"], Deadline);
            Assert.Equal(0, code);
            var shown = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal(2, shown.GetProperty("mappings").GetArrayLength());
            Assert.DoesNotContain("s3cret", stdout, StringComparison.Ordinal);
            Assert.Equal((await admin.GetAsync("/admin/tenants/by-cli/catalog")).Body, stdout.Trim());
        }
        finally
        {
            File.Delete(json);
            File.Delete(csv);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task Bad_files_exit_2_naming_the_field_and_unknown_tenants_exit_1_writing_nothing()
    {
        await using var stack = await new StackBuilder().NoKafka().Tenants("acme").InProcessWorkers(0).StartAsync();
        var bad = FileWith("product,p1,SKU,Mug,5,0,\nproduct,p2,SKU,Plate,5,-3,\n", ".csv");
        var good = FileWith(CatalogFileFormatTests.Json, ".json");
        try
        {
            var (code, _, stderr) = await stack.RunCliAsync(["catalog", "import", bad, "--tenant", "acme"], Deadline);
            Assert.Equal(2, code);
            Assert.Contains("line 2 bufferStock", stderr);

            (code, _, stderr) = await stack.RunCliAsync(["catalog", "import", good, "--tenant", "nobody"], Deadline);
            Assert.Equal(1, code);
            Assert.Contains("'nobody' is not registered", stderr);

            (code, _, _) = await stack.RunCliAsync(["catalog", "import", good], Deadline);
            Assert.Equal(2, code); // no --tenant
            Assert.Equal(1, (await stack.RunCliAsync(["catalog", "show", "nobody"], Deadline)).ExitCode);
            Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM products"));
        }
        finally
        {
            File.Delete(bad);
            File.Delete(good);
        }
    }
}
