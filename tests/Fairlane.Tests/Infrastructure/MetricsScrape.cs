using System.Globalization;

namespace Fairlane.Tests.Infrastructure;

/// <summary>Reads single samples from a worker's /metrics page (Prometheus text format).</summary>
internal sealed class MetricsScrape(int metricsPort) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>
    /// The value of the sample whose series is exactly <paramref name="series"/> (name plus labels as
    /// exported, e.g. <c>fairlane_events_consumed_total{topic="x.webhooks"}</c>), or null when the page
    /// is unreachable or lacks it.
    /// </summary>
    public async Task<double?> ReadAsync(string series)
    {
        var samples = await SamplesAsync();
        return samples?.FirstOrDefault(s => s.Series == series) is { Series: not null } sample ? sample.Value : null;
    }

    /// <summary>The sum of every series of the metric <paramref name="name"/>, whatever its labels; null when unreachable.</summary>
    public async Task<double?> SumAsync(string name)
    {
        var samples = await SamplesAsync();
        return samples?.Where(s => s.Series == name || s.Series.StartsWith(name + "{", StringComparison.Ordinal)).Sum(s => s.Value);
    }

    private async Task<List<(string Series, double Value)>?> SamplesAsync()
    {
        string body;
        try
        {
            body = await _http.GetStringAsync("/metrics");
        }
        catch (HttpRequestException)
        {
            return null;
        }
        var samples = new List<(string, double)>();
        foreach (var line in body.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                samples.Add((line[..space], value));
        }
        return samples;
    }

    public void Dispose() => _http.Dispose();
}
