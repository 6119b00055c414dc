using Fairlane.Worker.Admin;

namespace Fairlane.Tests.Worker.Tenants;

public sealed class BearerTokenTests
{
    private const string Token = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("Bearer " + Token, true)]
    [InlineData("bearer " + Token, true)]
    [InlineData("Bearer " + Token + "0", false)]
    [InlineData("Bearer " + "0123456789abcdef0123456789abcdeF", false)]
    [InlineData("Bearer ", false)]
    [InlineData("Basic " + Token, false)]
    [InlineData(Token, false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_the_exact_token_under_the_bearer_scheme_matches(string? authorization, bool matches) =>
        Assert.Equal(matches, new BearerToken(Token).Matches(authorization));
}
