using System.Globalization;

namespace Fairlane.LoadTest.Measurement;

/// <summary>Reads samples from a worker's /metrics page (Prometheus text format).</summary>
internal sealed class MetricsPage(int metricsPort) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The sample of exactly this series (name and labels as exported), or null when the page or the series is missing.</summary>
    public async Task<double?> ReadAsync(string series, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await _http.GetStringAsync("/metrics", cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
        foreach (var line in body.Split('\n'))
        {
            if (!line.StartsWith(series, StringComparison.Ordinal) || line.Length <= series.Length || line[series.Length] != ' ') continue;
            if (double.TryParse(line.AsSpan(series.Length + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        }
        return null;
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync("/readyz", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    public void Dispose() => _http.Dispose();
}
