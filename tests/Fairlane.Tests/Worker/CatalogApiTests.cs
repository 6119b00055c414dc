using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Fairlane.Tests.Agents;
using Fairlane.Tests.Infrastructure;
using Fairlane.Tests.Worker.Tenants;

namespace Fairlane.Tests.Worker;

/// <summary>The catalogue's admin routes on a real node: each path, the token, field-naming errors, RLS, and credential secrecy.</summary>
[Trait("Category", "Integration")]
public sealed class CatalogApiTests
{
    private const string Secret = "api-secret-must-never-show-71c4";

    private static Task<TestStack> StartAsync() => new StackBuilder().Kafka(1, 1).Tenants("acme", "rival").StartAsync();

    private static Task<AdminResponse> PutAsync(AdminClient admin, string path, string json) => admin.SendAsync(HttpMethod.Put, path, json);

    [Fact(Timeout = 120_000)]
    public async Task Products_channels_and_mappings_go_through_every_path()
    {
        await using var stack = await StartAsync();
        using var admin = new AdminClient(stack.Worker.AdminPort);

        var product = await PutAsync(admin, "/admin/tenants/acme/products/p1", """{"sku":"SKU-1","name":"Mug","stock":12,"bufferStock":2,"lowStockThreshold":3}""");
        Assert.Equal(200, product.Status);
        Assert.Equal(12, product.Json.GetProperty("stock").GetInt32());
        Assert.Equal("Mug", (await admin.GetAsync("/admin/tenants/acme/products/p1")).Json.GetProperty("name").GetString());
        Assert.Equal(12, await Catalog.StockAsync(stack.Db, "acme", "p1"));

        var channel = await PutAsync(admin, "/admin/tenants/acme/channels/wix",
            """{"type":"wix","name":"Shop","baseUrl":"https://wix.example/api","credentials":{"secret":"x-secret"}}""");
        Assert.Equal(200, channel.Status);
        Assert.True(channel.Json.GetProperty("hasCredentials").GetBoolean());
        Assert.Equal("active", (await admin.GetAsync("/admin/tenants/acme/channels/wix")).Json.GetProperty("status").GetString());

        Assert.Equal(200, (await PutAsync(admin, "/admin/tenants/acme/mappings/wix/W-1", """{"productId":"p1"}""")).Status);
        var mappings = await admin.GetAsync("/admin/tenants/acme/mappings");
        Assert.Equal("""[{"channelId":"wix","externalId":"W-1","productId":"p1"}]""", mappings.Body);
        Assert.Equal(204, (await admin.DeleteAsync("/admin/tenants/acme/mappings/wix/W-1")).Status);
        Assert.Equal(404, (await admin.DeleteAsync("/admin/tenants/acme/mappings/wix/W-1")).Status);
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM product_channel_mappings"));

        Assert.Equal(204, (await admin.DeleteAsync("/admin/tenants/acme/channels/wix")).Status);
        Assert.Equal(404, (await admin.GetAsync("/admin/tenants/acme/channels/wix")).Status);
        Assert.Equal(204, (await admin.DeleteAsync("/admin/tenants/acme/products/p1")).Status);
        var gone = await admin.GetAsync("/admin/tenants/acme/products/p1");
        Assert.Equal((404, "productId"), (gone.Status, gone.Json.GetProperty("field").GetString()));
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM products"));

        var unknownTenant = await admin.GetAsync("/admin/tenants/nobody/products/p1");
        Assert.Equal((404, "tenant"), (unknownTenant.Status, unknownTenant.Json.GetProperty("field").GetString()));
    }

    [Fact(Timeout = 120_000)]
    public async Task Bad_requests_get_400_naming_the_field_and_no_token_gets_401()
    {
        await using var stack = await StartAsync();
        using var admin = new AdminClient(stack.Worker.AdminPort);
        using var anonymous = new AdminClient(stack.Worker.AdminPort, token: null);

        foreach (var (path, body, field) in new[]
        {
            ("/admin/tenants/acme/products/p1", """{"bufferStock":-1}""", "bufferStock"),
            ("/admin/tenants/acme/products/p1", """{"stok":1}""", "stok"),
            ("/admin/tenants/acme/products/p1", """{"id":"p2"}""", "id"),
            ("/admin/tenants/acme/channels/c1", """{"type":"shopify","baseUrl":"https://x/"}""", "type"),
            ("/admin/tenants/acme/channels/c1", """{"type":"wix","baseUrl":"https://user:pw@x/"}""", "baseUrl"),
            ("/admin/tenants/acme/catalog", """{"products":[{"id":"ok"},{"id":"bad id"}]}""", "products[1].id"),
        })
        {
            var response = await PutAsync(admin, path, body);
            Assert.True(response.Status == 400, $"{path} {body}: {response}");
            Assert.Equal(field, response.Json.GetProperty("field").GetString());
        }
        Assert.Equal(404, (await PutAsync(admin, "/admin/tenants/acme/mappings/wix/W-1", """{"productId":"p1"}""")).Status);

        var refused = await PutAsync(anonymous, "/admin/tenants/acme/products/p1", """{"stock":1}""");
        Assert.Equal(401, refused.Status);
        Assert.Equal(401, (await anonymous.GetAsync("/admin/tenants/acme/catalog")).Status);
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM products"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_tenant_cannot_read_or_change_another_tenants_catalogue()
    {
        await using var stack = await StartAsync();
        using var admin = new AdminClient(stack.Worker.AdminPort);
        Assert.Equal(200, (await PutAsync(admin, "/admin/tenants/rival/catalog", CatalogFileFormatTests.Json)).Status);

        Assert.Equal(404, (await admin.GetAsync("/admin/tenants/acme/products/p1")).Status);
        Assert.Equal(404, (await admin.DeleteAsync("/admin/tenants/acme/products/p1")).Status);
        Assert.Equal(404, (await admin.DeleteAsync("/admin/tenants/acme/channels/wix")).Status);
        Assert.Equal(404, (await admin.DeleteAsync("/admin/tenants/acme/mappings/wix/W%201")).Status);
        Assert.Equal("[]", (await admin.GetAsync("/admin/tenants/acme/mappings")).Body);
        var across = await PutAsync(admin, "/admin/tenants/acme/mappings/wix/W-9", """{"productId":"p1"}""");
        Assert.Equal((404, "productId"), (across.Status, across.Json.GetProperty("field").GetString()));

        Assert.Equal(2, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM products WHERE tenant_id = 'rival'"));
        Assert.Equal(2, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM product_channel_mappings WHERE tenant_id = 'rival'"));
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM products WHERE tenant_id = 'acme'"));
    }

    [Fact(Timeout = 120_000)]
    public async Task The_bulk_import_in_json_and_in_csv_ends_in_the_same_rows()
    {
        await using var stack = await StartAsync();
        using var admin = new AdminClient(stack.Worker.AdminPort);
        Assert.Equal(200, (await PutAsync(admin, "/admin/tenants/acme/catalog", CatalogFileFormatTests.Json)).Status);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{stack.Worker.AdminPort}") };
        using var csv = new HttpRequestMessage(HttpMethod.Put, "/admin/tenants/rival/catalog")
        {
            Content = new StringContent(CatalogFileFormatTests.Csv, Encoding.UTF8, "text/csv"),
        };
        csv.Headers.Authorization = new AuthenticationHeaderValue("Bearer", InProcessWorker.AdminToken);
        using var imported = await http.SendAsync(csv);
        var result = JsonDocument.Parse(await imported.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((2, 2, 2), (result.GetProperty("products").GetInt32(), result.GetProperty("channels").GetInt32(), result.GetProperty("mappings").GetInt32()));

        Assert.Equal(await CatalogRowsAsync(stack.Db, "acme"), await CatalogRowsAsync(stack.Db, "rival"));
        Assert.Equal(2, (await admin.GetAsync("/admin/tenants/rival/catalog")).Json.GetProperty("products").GetArrayLength());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_bulk_import_may_be_larger_than_the_other_admin_requests()
    {
        await using var stack = await StartAsync();
        using var admin = new AdminClient(stack.Worker.AdminPort);
        // About 200 KB: over the 64 KB every other admin request is held to, well under the import's 16 MiB.
        var products = string.Join(",", Enumerable.Range(0, 2_000).Select(i => $$"""{"id":"p{{i}}","sku":"SKU-{{i}}","name":"Product number {{i}} of the onboarding file","stock":{{i}}}"""));
        var imported = await PutAsync(admin, "/admin/tenants/acme/catalog", $$"""{"products":[{{products}}]}""");
        Assert.True(imported.Status == 200, imported.ToString());
        Assert.Equal(2_000, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM products WHERE tenant_id = 'acme'"));
        Assert.Equal(400, (await PutAsync(admin, "/admin/tenants/acme/products/p1", $$"""{"name":"{{new string('x', 70_000)}}"}""")).Status);
    }

    [Fact(Timeout = 180_000)]
    public async Task Credentials_appear_in_no_answer_and_no_log()
    {
        await using var stack = await new StackBuilder().Kafka(1, 1).Tenants("acme").InProcessWorkers(0).With("Logging:MinimumLevel", "Debug").StartAsync();
        var adminPort = FreePort.Next();
        var worker = stack.StartProcess(FreePort.Next(), s => s.Set("Admin:Port", adminPort));
        using var admin = new AdminClient(adminPort);
        await Eventually.WaitAsync(async () => { try { return (await admin.GetAsync("/admin/healthz")).Status; } catch (HttpRequestException) { return 0; } },
            s => s == 200, TimeSpan.FromSeconds(60), "the node's admin API");

        var bodies = new List<string>
        {
            (await PutAsync(admin, "/admin/tenants/acme/channels/wix",
                $$$"""{"type":"wix","baseUrl":"https://wix.example/","credentials":{"apiKey":"{{{Secret}}}-key","secret":"{{{Secret}}}"}}""")).Body,
            (await PutAsync(admin, "/admin/tenants/acme/catalog",
                $$$"""{"channels":[{"id":"pos","type":"eposnow","baseUrl":"https://pos.example/","credentials":{"apiKey":"k","secret":"{{{Secret}}}"}}]}""")).Body,
            (await PutAsync(admin, "/admin/tenants/acme/channels/bad",
                $$$"""{"type":"wix","baseUrl":"nope","credentials":{"secret":"{{{Secret}}}"}}""")).Body,
            (await admin.GetAsync("/admin/tenants/acme/channels/wix")).Body,
            (await admin.GetAsync("/admin/tenants/acme/catalog")).Body,
        };
        Assert.Contains("\"hasCredentials\":true", bodies[3], StringComparison.Ordinal);
        Assert.All(bodies, b => Assert.DoesNotContain(Secret, b, StringComparison.Ordinal));
        worker.Terminate();
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Catalogue of tenant", worker.StandardOutput + worker.StandardError); // the changes were logged
        Assert.DoesNotContain(Secret, worker.StandardOutput + worker.StandardError, StringComparison.Ordinal);
    }

    /// <summary>A tenant's catalogue rows as text (credentials as whether they decrypt to the fixture's secret), for comparing tenants.</summary>
    internal static async Task<string> CatalogRowsAsync(TestDatabase db, string tenant) => string.Join("\n",
        await db.ScalarAsync<string>($"SELECT coalesce(string_agg(concat_ws('|', id, sku, name, stock, buffer_stock, low_stock_threshold), ';' ORDER BY id), '') FROM products WHERE tenant_id = '{tenant}'"),
        await db.ScalarAsync<string>($"SELECT coalesce(string_agg(concat_ws('|', id, type, name, base_url, status, credentials IS NOT NULL), ';' ORDER BY id), '') FROM channels WHERE tenant_id = '{tenant}'"),
        await db.ScalarAsync<string>($"SELECT coalesce(string_agg(concat_ws('|', channel_id, external_id, product_id), ';' ORDER BY channel_id, external_id), '') FROM product_channel_mappings WHERE tenant_id = '{tenant}'"));
}
