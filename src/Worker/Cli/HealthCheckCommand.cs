using System.Net;
using Fairlane.Worker.Configuration;

namespace Fairlane.Worker.Cli;

/// <summary>
/// `fairlane healthcheck`: asks this host's running daemon for /healthz and exits 0 when it answers
/// 200, else 1. It is the container's HEALTHCHECK: the runtime image has no curl or wget, and this
/// reads the same settings as the daemon, so it always asks the port the daemon really listens on.
/// </summary>
internal static class HealthCheckCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(CommandLine line)
    {
        var http = CliConfiguration.Build(line.ConfigurationArgs).GetValidated<HttpOptions, HttpOptionsValidator>(HttpOptions.Section);
        var url = new UriBuilder(Uri.UriSchemeHttp, LocalAddress(IPAddress.Parse(http.BindAddress)).ToString(), http.MetricsPort, "/healthz").Uri;
        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK) return ExitCodes.Ok;
            await Console.Error.WriteLineAsync($"fairlane: {url} answered {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"fairlane: {url} did not answer: {ex.GetBaseException().Message}");
        }
        return ExitCodes.Failure;
    }

    // A daemon listening on every address is reached over loopback.
    private static IPAddress LocalAddress(IPAddress bind) =>
        bind.Equals(IPAddress.Any) ? IPAddress.Loopback
        : bind.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
        : bind;
}
