using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fairlane.ChannelSimulator;

/// <summary>
/// The simulator's own API under <c>/_sim</c>, for load-test scripts and other processes: the same
/// knobs the C# API on <see cref="ChannelSimulatorServer"/> offers. These calls are never faulted
/// or counted. A PUT of faults changes only the fields it carries.
/// </summary>
internal static class ControlApi
{
    public static void Map(IEndpointRouteBuilder app, ChannelSimulatorServer server)
    {
        var sim = app.MapGroup("/_sim").AddEndpointFilter(RejectBadArgumentsAsync);

        sim.MapGet("/faults", () => Results.Json(server.Faults, SimulatorJson.Default.SimulatedFaults));
        sim.MapPut("/faults", (SimulatedFaults change) =>
            Results.Json(server.Faults = change.Over(server.Faults), SimulatorJson.Default.SimulatedFaults));
        sim.MapPost("/seed", (SeedBody body) =>
        {
            server.Reseed(body.Seed);
            return Results.NoContent();
        });
        sim.MapPost("/reset", () =>
        {
            server.Reset();
            return Results.NoContent();
        });
        sim.MapGet("/accounts", () => Results.Json(server.Accounts.Select(Summary).ToArray(), SimulatorJson.Default.AccountSummaryArray));

        var one = sim.MapGroup("/accounts/{type}/{account}");
        one.MapGet("", (string type, string account) => Results.Json(Summary(server.Account(type, account)), SimulatorJson.Default.AccountSummary));

        one.MapGet("/faults", (string type, string account) =>
            Results.Json(server.Account(type, account).Faults, SimulatorJson.Default.SimulatedFaults));
        one.MapPut("/faults", (string type, string account, SimulatedFaults change) =>
        {
            var target = server.Account(type, account);
            target.Faults = change.Over(target.Faults);
            return Results.Json(target.Faults, SimulatorJson.Default.SimulatedFaults);
        });
        one.MapDelete("/faults", (string type, string account) =>
        {
            server.Account(type, account).Faults = new SimulatedFaults();
            return Results.NoContent();
        });

        one.MapPut("/credential", (string type, string account, CredentialBody body) =>
        {
            server.Account(type, account).ExpectedCredential = body.Credential;
            return Results.NoContent();
        });

        one.MapGet("/stock", (string type, string account) =>
            Results.Json(new Dictionary<string, int>(server.Account(type, account).Stock()), SimulatorJson.Default.DictionaryStringInt32));
        one.MapPut("/stock", (string type, string account, Dictionary<string, int> items) =>
        {
            server.Account(type, account).SetStock(items);
            return Results.NoContent();
        });
        one.MapGet("/stock/{itemId}", (string type, string account, string itemId) =>
            server.Account(type, account).GetStock(itemId) is { } quantity
                ? Results.Json(new ItemStock(itemId, quantity), SimulatorJson.Default.ItemStock)
                : Results.Json(new SimulatorError($"no item {itemId}"), SimulatorJson.Default.SimulatorError, statusCode: 404));
        one.MapPut("/stock/{itemId}", (string type, string account, string itemId, QuantityBody body) =>
        {
            server.Account(type, account).SetStock(itemId, body.Quantity);
            return Results.NoContent();
        });
        one.MapDelete("/stock/{itemId}", (string type, string account, string itemId) =>
            server.Account(type, account).RemoveItem(itemId) ? Results.NoContent() : Results.NotFound());

        one.MapPost("/failures", (string type, string account, FailureScript script) =>
        {
            server.Account(type, account).FailNext(script.Count, script.Status);
            return Results.NoContent();
        });

        one.MapGet("/calls", (string type, string account) =>
            Results.Json(server.Account(type, account).CallCounts()
                .ToDictionary(o => o.Key, o => o.Value.ToDictionary(s => s.Key, s => s.Value)), SimulatorJson.Default.DictionaryStringDictionaryInt32Int32));
        one.MapDelete("/calls", (string type, string account) =>
        {
            server.Account(type, account).ResetCalls();
            return Results.NoContent();
        });
    }

    private static AccountSummary Summary(SimulatedAccount a) => new(a.ChannelType, a.Name, a.BaseUrl, a.Stock().Count, a.TotalCalls);

    // Unknown channel types and out-of-range values are the caller's mistake: 400 with the reason.
    private static async ValueTask<object?> RejectBadArgumentsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ArgumentException ex)
        {
            return Results.Json(new SimulatorError(ex.Message), SimulatorJson.Default.SimulatorError, statusCode: 400);
        }
    }
}

internal sealed record SimulatorError([property: JsonPropertyName("error")] string Error);

internal sealed record AccountSummary(string Type, string Name, string BaseUrl, int Items, int Calls);

internal sealed record CredentialBody(string? Credential);

internal sealed record ItemStock(string ItemId, int Quantity);

internal sealed record QuantityBody(int Quantity);

internal sealed record FailureScript(int Status, int Count);

internal sealed record SeedBody(int Seed);
