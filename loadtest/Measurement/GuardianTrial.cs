using System.Diagnostics;
using System.Net.Http.Headers;
using Npgsql;

namespace Fairlane.LoadTest.Measurement;

/// <summary>A Guardian run as guardian_runs recorded it, with the admin API's answer and the time the call took.</summary>
internal sealed record GuardianResult(
    int HttpStatus, string Status, int Tenants, int TenantsDone, long Checks, long Repairs, long Alerts, double WallSeconds, double CallSeconds,
    long ExpectedChecks);

/// <summary>
/// Starts one Guardian run through a worker's admin API (<c>POST /admin/guardian/run-now</c>, which
/// answers when the run has ended) and reads the run back from guardian_runs: its wall time is
/// finished_at − started_at, fan-out to the last tenant reconciled.
/// </summary>
internal static class GuardianTrial
{
    public static async Task<GuardianResult> RunAsync(int adminPort, string token, NpgsqlDataSource owner, long expectedChecks,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}"), Timeout = TimeSpan.FromMinutes(11) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/guardian/run-now");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, cancellationToken);
        var callSeconds = clock.Elapsed.TotalSeconds;

        await using var cmd = owner.CreateCommand("""
            SELECT status, tenants, tenants_done, checks, repairs, alerts, extract(epoch FROM finished_at - started_at)
            FROM guardian_runs ORDER BY started_at DESC LIMIT 1
            """);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new GuardianResult((int)response.StatusCode, "not started", 0, 0, 0, 0, 0, double.NaN, callSeconds, expectedChecks);
        }
        return new GuardianResult((int)response.StatusCode, reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3),
            reader.GetInt32(4), reader.GetInt32(5), reader.IsDBNull(6) ? double.NaN : (double)reader.GetDecimal(6), callSeconds, expectedChecks);
    }
}
