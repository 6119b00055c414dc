using System.Text.Json;
using Fairlane.Agents.Tenants;

namespace Fairlane.Tests.Agents.Tenants;

/// <summary>The one mapping between a tenant's status and the text in <c>tenants.status</c>.</summary>
public sealed class TenantStatusTests
{
    [Theory]
    [InlineData(TenantStatus.Active, "active")]
    [InlineData(TenantStatus.Paused, "paused")]
    [InlineData(TenantStatus.Deleted, "deleted")]
    public void Each_status_maps_to_its_column_text_and_back(TenantStatus status, string text)
    {
        Assert.Equal(text, status.ToText());
        Assert.Equal(status, TenantStatusText.Parse(text));
    }

    [Fact]
    public void Every_status_has_a_text()
    {
        // A status added to the enum without a text would throw here rather than at the first write.
        Assert.Equal(Enum.GetValues<TenantStatus>().Length, Enum.GetValues<TenantStatus>().Select(s => s.ToText()).Distinct().Count());
    }

    [Theory]
    [InlineData("frozen")]
    [InlineData("Active")]
    [InlineData("")]
    public void Unknown_text_is_an_error_naming_the_value(string text)
    {
        var error = Assert.Throws<FormatException>(() => TenantStatusText.Parse(text));
        Assert.Contains($"'{text}'", error.Message);
    }

    [Fact]
    public void An_undefined_status_has_no_text()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((TenantStatus)7).ToText());
    }

    [Fact]
    public void Json_carries_the_column_text()
    {
        var options = new JsonSerializerOptions { Converters = { new TenantStatusJsonConverter() } };

        Assert.Equal("\"paused\"", JsonSerializer.Serialize(TenantStatus.Paused, options));
        Assert.Equal(TenantStatus.Deleted, JsonSerializer.Deserialize<TenantStatus>("\"deleted\"", options));
        Assert.Contains("'Paused'", Assert.Throws<FormatException>(() => JsonSerializer.Deserialize<TenantStatus>("\"Paused\"", options)).Message);
    }
}
