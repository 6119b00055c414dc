using Fairlane.Agents.Tenants;
using Fairlane.Partitioning.Scheduling;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Engine;
using Fairlane.Worker.Guardian;
using Fairlane.Worker.Tenants;
using Microsoft.Extensions.Options;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Admin;

/// <summary>The admin API's routes (README "Admin API"); the gate in front and the group's filter check port and token.</summary>
internal static class AdminEndpoints
{
    public const string Prefix = "/admin";

    public static void MapAdminEndpoints(this WebApplication app, AdminAccess access)
    {
        var admin = app.MapGroup(Prefix)
            .WithMetadata(AdminEndpointMarker.Instance)
            .AddEndpointFilter(access.FilterAsync)
            .AddEndpointFilter(AdminErrors.FilterAsync);
        admin.MapGet("/healthz", (IOptions<WorkerOptions> worker) =>
            Results.Json(new AdminHealth("ok", worker.Value.NodeId, BuildVersion.Current), AdminJsonContext.Default.AdminHealth));
        admin.MapCatalogEndpoints();

        var tenants = admin.MapGroup("/tenants");
        tenants.MapGet("", async (TenantAdministration tenancy, IOptions<EngineOptions> engine, CancellationToken ct) =>
            Results.Json(EffectiveConcurrency.For(await tenancy.ListAsync(ct), engine.Value.Workers), AdminJsonContext.Default.ListTenantDetails));

        tenants.MapGet("/{id}", async (string id, TenantAdministration tenancy, IOptions<EngineOptions> engine, CancellationToken ct) =>
            Tenant(await tenancy.ShowAsync(id, ct), engine));

        tenants.MapGet("/{id}/engine", (string id, FairEngine engine, IOptions<WorkerOptions> worker) =>
        {
            TenantRules.CheckId(id);
            var (record, limits, queued, inFlight) = engine.TenantState(id);
            return Results.Json(new EngineTenantView(id, worker.Value.NodeId, record is not null, record?.Status.ToText(), record?.IsHeld ?? false,
                limits.Weight, limits.MaxInFlight, limits.Ordering == OrderingScope.Tenant ? "tenant" : "item",
                limits.RatePerSecond, limits.MaxQueueDepth, queued, inFlight),
                AdminJsonContext.Default.EngineTenantView);
        });

        tenants.MapPost("", async (HttpRequest request, TenantAdministration tenancy, TenantRefreshRequests refresh, IOptions<EngineOptions> engine,
            CancellationToken ct) =>
        {
            var registration = await TenantRequestReader.ReadRegistrationAsync(request, ct);
            var (tenant, reactivated) = await tenancy.RegisterAsync(registration, ct);
            refresh.Request();
            // 201 for a new tenant; 200 when a deleted one came back (it existed all along).
            if (!reactivated) request.HttpContext.Response.Headers.Location = $"{Prefix}/tenants/{tenant.Id}";
            return Tenant(tenant, engine, reactivated ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        });

        tenants.MapPatch("/{id}", async (string id, HttpRequest request, TenantAdministration tenancy, TenantRefreshRequests refresh,
            IOptions<EngineOptions> engine, CancellationToken ct) =>
        {
            var change = await TenantRequestReader.ReadLimitsChangeAsync(request, ct);
            return Changed(await tenancy.SetLimitsAsync(id, change, ct), refresh, engine);
        });

        tenants.MapPost("/{id}/pause", async (string id, TenantAdministration tenancy, TenantRefreshRequests refresh, IOptions<EngineOptions> engine,
            CancellationToken ct) => Changed(await tenancy.PauseAsync(id, ct), refresh, engine));

        tenants.MapPost("/{id}/resume", async (string id, TenantAdministration tenancy, TenantRefreshRequests refresh, IOptions<EngineOptions> engine,
            CancellationToken ct) => Changed(await tenancy.ResumeAsync(id, ct), refresh, engine));

        tenants.MapDelete("/{id}", async (string id, TenantAdministration tenancy, TenantRefreshRequests refresh, IOptions<EngineOptions> engine,
            CancellationToken ct) => Changed(await tenancy.UnregisterAsync(id, ct), refresh, engine));

        var guardian = admin.MapGroup("/guardian");
        guardian.MapGet("/runs", async (DataSources dataSources, int? limit, CancellationToken ct) =>
            Results.Json(await GuardianRuns.LatestAsync(dataSources.Owner, Math.Clamp(limit ?? 20, 1, 1_000), ct),
                GuardianJson.Default.ListGuardianRunRecord));

        // Leads a run like `fairlane guardian run-now` and answers when it ended: 200 when completed,
        // 409 when another node leads one, 503 without a Redis majority.
        guardian.MapPost("/run-now", async (GuardianRunner runner, CancellationToken ct) =>
        {
            var report = await runner.RunAsync("manual", null, ct);
            var status = report.Outcome switch
            {
                GuardianOutcome.Completed => StatusCodes.Status200OK,
                GuardianOutcome.Busy or GuardianOutcome.AlreadyRun => StatusCodes.Status409Conflict,
                GuardianOutcome.NoQuorum => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            };
            return Results.Json(report, GuardianJson.Default.GuardianRunReport, statusCode: status);
        });

        admin.MapDeadLetterEndpoints();
    }

    // This node applies its own change at once, even when no Redis node carries the notice back to it.
    private static IResult Changed(TenantDetails tenant, TenantRefreshRequests refresh, IOptions<EngineOptions> engine)
    {
        refresh.Request();
        return Tenant(tenant, engine);
    }

    private static IResult Tenant(TenantDetails tenant, IOptions<EngineOptions> engine, int status = StatusCodes.Status200OK) =>
        Results.Json(EffectiveConcurrency.For(tenant, engine.Value.Workers), AdminJsonContext.Default.TenantDetails, statusCode: status);
}
