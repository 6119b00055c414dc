using Fairlane.Worker.DeadLetters;

namespace Fairlane.Worker.Admin;

/// <summary>
/// <c>GET /admin/dlq</c> and <c>POST /admin/dlq/replay</c>: <c>fairlane dlq list|replay</c> on the admin
/// API, behind the same bearer token. Bad input is a 400 naming the field.
/// </summary>
internal static class DeadLetterEndpoints
{
    public static void MapDeadLetterEndpoints(this RouteGroupBuilder admin)
    {
        var dlq = admin.MapGroup("/dlq");
        dlq.MapGet("", async (string? tenant, string? reason, string? since, DeadLetterIndex index, TimeProvider time, CancellationToken ct) =>
        {
            DateTimeOffset? from = null;
            if (!string.IsNullOrEmpty(since) && (from = DeadLetterSince.Parse(since, time.GetUtcNow())) is null)
                return BadRequest($"since takes {DeadLetterSince.Expected}; got '{since}'.", "since");
            var entries = await index.FindAsync(new DeadLetterFilter(Blank(tenant), Blank(reason), from), onlyUnreplayed: false, ct);
            return Results.Json(entries, DeadLetterJson.Default.ListDeadLetterEntry);
        });

        dlq.MapPost("/replay", async (HttpRequest request, DeadLetterReplayer replayer, CancellationToken ct) =>
        {
            DeadLetterReplayRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync(DeadLetterJson.Default.DeadLetterReplayRequest, ct);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
            {
                return BadRequest($"The body must be JSON {{\"reason\": \"...\", \"tenant\": \"...\", \"dryRun\": false}}: {ex.Message}", null);
            }
            if (Blank(body?.Reason) is not { } reason) return BadRequest("reason is required: the dead-letter reason to replay.", "reason");
            var report = await replayer.ReplayAsync(new DeadLetterFilter(Blank(body!.Tenant), reason, null), body.DryRun, body.Again, ct);
            return Results.Json(report, DeadLetterJson.Default.DeadLetterReplayReport,
                statusCode: report.Failed == 0 ? StatusCodes.Status200OK : StatusCodes.Status502BadGateway);
        });
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static IResult BadRequest(string message, string? field) =>
        Results.Json(new AdminError(message, field), AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status400BadRequest);
}
