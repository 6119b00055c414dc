using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Worker.Configuration;

/// <summary>The admin API's rules, checked on the validator alone: a weak token is refused and never echoed.</summary>
public sealed class AdminOptionsValidatorTests
{
    private static string Failures(AdminOptions options) =>
        new AdminOptionsValidator().Validate(Options.DefaultName, options) is { Failed: true } r ? string.Join("\n", r.Failures) : "";

    [Theory]
    [InlineData("s3cr3t-tok", "too short")]
    [InlineData("a token with spaces in it, which is long enough", "must not contain spaces")]
    [InlineData("   ", "is required")]
    public void A_weak_token_is_refused_and_never_echoed(string token, string problem)
    {
        var failures = Failures(new AdminOptions { Token = token });
        Assert.Contains("Admin:Token (FAIRLANE__ADMIN__TOKEN)", failures);
        Assert.Contains(problem, failures);
        if (token.Trim().Length > 0) Assert.DoesNotContain(token, failures);
    }

    [Fact]
    public void Disabled_admin_api_needs_no_token_and_port_and_bind_address_are_checked()
    {
        Assert.Equal("", Failures(new AdminOptions { Enabled = false }));
        Assert.Equal("", Failures(new AdminOptions { Token = new string('k', AdminOptions.MinTokenLength) }));
        Assert.Contains("Admin:Port", Failures(new AdminOptions { Token = new string('k', 40), Port = 0 }));
        Assert.Contains("Admin:BindAddress", Failures(new AdminOptions { Token = new string('k', 40), BindAddress = "localhost" }));
    }
}
