using Fairlane.Contracts;

namespace Fairlane.Tests.Contracts;

public sealed class TenantIdsTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("tenant-01")]
    [InlineData("a.b_c-D9")]
    public void Plain_ids_are_valid(string id) => Assert.True(TenantIds.IsValid(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/y")]
    [InlineData("ünicode")]
    public void Ids_with_other_characters_are_invalid(string? id) => Assert.False(TenantIds.IsValid(id));

    [Fact]
    public void Length_is_capped_at_64()
    {
        Assert.True(TenantIds.IsValid(new string('a', 64)));
        Assert.False(TenantIds.IsValid(new string('a', 65)));
    }
}
