using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Deploy;

/// <summary>
/// A real Prometheus server (Debian's package) on a free loopback port, scraping one target every
/// second as job "fairlane" and evaluating the repository's rule files, with its data in a temp directory.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly HttpClient _http;
    private readonly ConcurrentQueue<string> _log = new();

    private PrometheusServer(Process process, TempDirectory dir, int port)
    {
        _process = process;
        _dir = dir;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    /// <summary>What the server logged, for failure messages.</summary>
    public string Log => string.Join('\n', _log);

    public static async Task<PrometheusServer> StartAsync(int targetPort, TimeSpan deadline)
    {
        var binary = ExternalTool.Require("prometheus", "prometheus");
        var dir = DeployFiles.TempDirectory("fl-prom");
        var port = FreePort.Next();
        File.WriteAllText(dir.Path("prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files: [{string.Join(", ", DeployFiles.RuleFiles.Select(f => $"\"{f}\""))}]
            scrape_configs:
              - job_name: fairlane
                static_configs:
                  - targets: ["127.0.0.1:{targetPort.ToString(CultureInfo.InvariantCulture)}"]
            """);
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = dir.FullName,
        };
        foreach (var arg in new[]
                 {
                     $"--config.file={dir.Path("prometheus.yml")}", $"--storage.tsdb.path={dir.Path("data")}",
                     $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--log.level=warn",
                 })
        {
            info.ArgumentList.Add(arg);
        }
        var server = new PrometheusServer(Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start"), dir, port);
        try
        {
            await Eventually.WaitAsync(server.ReadyAsync, ready => ready || server._process.HasExited, deadline, "Prometheus to be ready");
            if (server._process.HasExited) throw new InvalidOperationException($"prometheus exited {server._process.ExitCode}:\n{server.Log}");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An instant query through the HTTP API: each result's labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        using var body = await GetAsync($"/api/v1/query?query={Uri.EscapeDataString(promql)}");
        return body.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => ((IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Every loaded rule's name, health ("ok", "err", "unknown" before its first evaluation) and last error.</summary>
    public async Task<IReadOnlyList<(string Name, string Health, string? Error)>> RulesAsync()
    {
        using var body = await GetAsync("/api/v1/rules");
        return body.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("health").GetString()!,
                r.TryGetProperty("lastError", out var e) ? e.GetString() : null))
            .ToList();
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await _http.GetAsync("/-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task<JsonDocument> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _http.Dispose();
        _dir.Dispose();
    }
}
