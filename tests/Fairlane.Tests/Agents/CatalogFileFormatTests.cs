using System.Text;
using Fairlane.Agents.Catalog;

namespace Fairlane.Tests.Agents;

/// <summary>The bulk import's two forms, JSON and CSV, read to the same requests, and their errors name the field or line.</summary>
public sealed class CatalogFileFormatTests
{
    public const string Json = """
        {
          "channels": [{ "id": "wix", "type": "wix", "name": "Wix, main", "baseUrl": "https://wix.example/api",
                         "credentials": { "secret": "s3cret" } },
                       { "id": "pos", "type": "eposnow", "baseUrl": "https://pos.example/" }],
          "products": [{ "id": "p1", "sku": "SKU-1", "name": "Mug \"large\"", "stock": 10, "bufferStock": 2, "lowStockThreshold": 3 },
                       { "id": "p2", "sku": "SKU-2", "name": "Plate" }],
          "mappings": [{ "channelId": "wix", "externalId": "W 1", "productId": "p1" },
                       { "channelId": "pos", "externalId": "E-2", "productId": "p2" }]
        }
        """;

    public const string Csv = """"
        # kind,...: see README "Catalogue file format"
        channel,wix,wix,"Wix, main",https://wix.example/api,,s3cret
        channel,pos,eposnow,,https://pos.example/,,

        product,p1,SKU-1,"Mug ""large""",10,2,3
        product,p2,SKU-2,Plate,,,
        mapping,wix,W 1,p1
        mapping,pos,E-2,p2
        """";

    [Fact]
    public void Json_and_csv_of_the_same_catalogue_read_the_same()
    {
        using var document = CatalogJsonReader.Parse(Encoding.UTF8.GetBytes(Json));
        var fromJson = CatalogJsonReader.ReadImport(document.RootElement);
        var fromCsv = CatalogCsvReader.Read(Csv);
        Assert.Equal(fromJson.Products, fromCsv.Products);
        Assert.Equal(fromJson.Mappings, fromCsv.Mappings);
        Assert.Equal(fromJson.Channels, fromCsv.Channels);
        Assert.Equal(new ProductDefinition("p2", "SKU-2", "Plate", null, 0, null), fromCsv.Products[1]);
        Assert.Equal((CredentialsChange.Set, "s3cret"), (fromCsv.Channels[0].CredentialsChange, fromCsv.Channels[0].Credentials?.Secret));
        Assert.Equal(CredentialsChange.Keep, fromCsv.Channels[1].CredentialsChange);
    }

    [Theory]
    [InlineData("""{"products":[{"id":"p1","stock":"ten"}]}""", "products[0].stock")]
    [InlineData("""{"products":[{"id":"p1","bufferStok":1}]}""", "products[0].bufferStok")]
    [InlineData("""{"channels":[{"id":"c","type":"wix"}]}""", "channels[0].baseUrl")]
    [InlineData("""{"mappings":{}}""", "mappings")]
    [InlineData("""{"widgets":[]}""", "widgets")]
    [InlineData("""[1]""", "body")]
    public void Json_errors_name_the_field(string json, string field)
    {
        var ex = Assert.Throws<CatalogException>(() =>
        {
            using var document = CatalogJsonReader.Parse(Encoding.UTF8.GetBytes(json));
            CatalogJsonReader.ReadImport(document.RootElement);
        });
        Assert.Equal(field, ex.Field);
    }

    [Theory]
    [InlineData("product,p1,,,x,0,", "line 1 stock")]
    [InlineData("mapping,wix,W-1,p1\nproduct,p1,,,1,-2,", "line 2 bufferStock")]
    [InlineData("\nwidget,a", "line 2 kind")]
    [InlineData("mapping,wix,W-1", "line 1")]
    [InlineData("channel,c,wix,,notaurl,,", "line 1 baseUrl")]
    public void Csv_errors_name_the_line_and_field(string csv, string field) =>
        Assert.Equal(field, Assert.Throws<CatalogException>(() => CatalogCsvReader.Read(csv)).Field);

    [Fact]
    public void A_credential_of_the_wrong_kind_is_not_echoed()
    {
        using var document = CatalogJsonReader.Parse(Encoding.UTF8.GetBytes("""{"id":"c","type":"wix","baseUrl":"https://x/","credentials":{"secret":987654321}}"""));
        var ex = Assert.Throws<CatalogException>(() => CatalogJsonReader.ReadChannel(document.RootElement, "", null));
        Assert.Equal("credentials.secret", ex.Field);
        Assert.DoesNotContain("987654321", ex.Message, StringComparison.Ordinal);
    }
}
