using Fairlane.Agents.Channels;

namespace Fairlane.Tests.Agents.Channels;

public sealed class ChannelConnectionTests
{
    private static readonly ChannelConnection Connection = new(
        "tenant-a", "pos-1", ChannelTypes.EposNow,
        new Uri("https://user:url-password@api.example.test/eposnow/acct?token=query-token"),
        new ChannelCredentials("the-api-key", "the-api-secret"))
    {
        Name = "Front counter",
    };

    [Fact]
    public void ToString_names_the_channel_but_never_a_secret()
    {
        string[] printed =
        [
            Connection.ToString(),
            $"{Connection}",
            Connection.Credentials.ToString(),
            (Connection with { Name = "copy" }).ToString(),
            new { Connection }.ToString()!,
            string.Join(",", new[] { Connection }.Select(c => (object)c)),
        ];

        Assert.Equal("tenant-a/pos-1 (eposnow at https://api.example.test/eposnow/acct)", Connection.ToString());
        foreach (var text in printed)
        {
            foreach (var secret in new[] { "the-api-key", "the-api-secret", "url-password", "query-token" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Credentials_print_as_redacted_or_none()
    {
        Assert.Equal("ChannelCredentials { redacted }", Connection.Credentials.ToString());
        Assert.Equal("ChannelCredentials { none }", ChannelCredentials.None.ToString());
    }
}
