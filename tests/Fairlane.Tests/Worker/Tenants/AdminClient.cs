using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Tenants;

/// <summary>An admin API answer: status, body, and the body as JSON when it is.</summary>
internal sealed record AdminResponse(int Status, string Body, HttpResponseHeaders Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{Status} {Body}";
}

/// <summary>Talks to one node's admin API over loopback, with the test token unless told otherwise.</summary>
internal sealed class AdminClient(int port, string? token = InProcessWorker.AdminToken) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(15) };

    public Task<AdminResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<AdminResponse> PostAsync(string path, string? json = null) => SendAsync(HttpMethod.Post, path, json);

    public Task<AdminResponse> PatchAsync(string path, string json) => SendAsync(HttpMethod.Patch, path, json);

    public Task<AdminResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public async Task<AdminResponse> SendAsync(HttpMethod method, string path, string? json = null, string? authorization = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        else if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return new AdminResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers);
    }

    /// <summary>What the node's engine applies to a tenant now (<c>GET /admin/tenants/{id}/engine</c>).</summary>
    public async Task<EngineView> EngineViewAsync(string tenant)
    {
        var response = await GetAsync($"/admin/tenants/{tenant}/engine");
        Assert.Equal(200, response.Status);
        var json = response.Json;
        return new EngineView(
            json.GetProperty("known").GetBoolean(),
            json.GetProperty("status").ValueKind == JsonValueKind.Null ? null : json.GetProperty("status").GetString(),
            json.GetProperty("weight").GetInt32(),
            json.GetProperty("concurrency").GetInt32(),
            json.GetProperty("ratePerSecond").ValueKind == JsonValueKind.Null ? null : json.GetProperty("ratePerSecond").GetDouble(),
            json.GetProperty("maxQueueDepth").GetInt32());
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The part of the engine view the propagation tests compare.</summary>
internal sealed record EngineView(bool Known, string? Status, int Weight, int Concurrency, double? RatePerSecond, int MaxQueueDepth);
