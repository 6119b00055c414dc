using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fairlane.ChannelSimulator;

/// <summary>
/// Middleware in front of every vendor endpoint: resolves the account from the route, then plays
/// the channel's bad behaviour in the order a real service shows it — slowness, the whole service
/// down (503), the credential check (401), scripted failures, rate limiting (429 with Retry-After),
/// random server errors (500) — and counts the call with the status it was finally answered.
/// </summary>
internal sealed class FaultGate(SimulatedAccounts accounts, Func<SimulatedFaults> serverFaults)
{
    // What the response of a call cut short by the client is counted as (nginx's convention).
    private const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint()?.Metadata.GetMetadata<SimulatedEndpoint>();
        if (endpoint is null)
        {
            await next(context);
            return;
        }
        var account = accounts.GetOrAdd(endpoint.ChannelType, (string)context.GetRouteValue("account")!);
        context.Items[typeof(SimulatedAccount)] = account;
        var status = StatusCodes.Status500InternalServerError; // what Kestrel answers if a handler throws
        try
        {
            await AnswerAsync(context, account, next);
            status = context.Response.StatusCode;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (e.g. its per-attempt timeout): nothing left to answer.
            status = ClientClosedRequest;
        }
        finally
        {
            account.CountCall(endpoint.Operation, status);
        }
    }

    private async Task AnswerAsync(HttpContext context, SimulatedAccount account, RequestDelegate next)
    {
        var faults = account.Faults.Over(serverFaults()).Over(SimulatedFaults.None);
        // Both draws happen on every call, so an account's fault sequence depends only on the seed
        // and its call count, not on which rates happen to be configured.
        var throttleDraw = account.NextDouble();
        var errorDraw = account.NextDouble();

        if (faults.LatencyMs > 0) await Task.Delay(faults.LatencyMs.Value, context.RequestAborted);
        if (faults.Outage == true)
        {
            await FailAsync(context, StatusCodes.Status503ServiceUnavailable, "the channel is down (simulated outage)");
            return;
        }
        if (!CredentialMatches(context.Request, account))
        {
            context.Response.Headers.WWWAuthenticate = account.ChannelType == ChannelTypes.EposNow ? "Basic" : "Bearer";
            await FailAsync(context, StatusCodes.Status401Unauthorized, "missing or wrong credentials");
            return;
        }
        if (account.TakeScriptedFailure() is { } scripted)
        {
            if (scripted == StatusCodes.Status429TooManyRequests) await ThrottleAsync(context, faults);
            else await FailAsync(context, scripted, "scripted failure");
            return;
        }
        if (throttleDraw < faults.ThrottleRate)
        {
            await ThrottleAsync(context, faults);
            return;
        }
        if (errorDraw < faults.ErrorRate)
        {
            await FailAsync(context, StatusCodes.Status500InternalServerError, "internal error (simulated)");
            return;
        }
        await next(context);
    }

    private static Task ThrottleAsync(HttpContext context, SimulatedFaults faults)
    {
        context.Response.Headers.RetryAfter = faults.RetryAfterSeconds!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return FailAsync(context, StatusCodes.Status429TooManyRequests, "rate limit exceeded");
    }

    private static Task FailAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new SimulatorError(message), SimulatorJson.Default.SimulatorError, cancellationToken: context.RequestAborted);
    }

    // Epos Now sends its API key and secret as a Basic pair; Wix and Deliveroo a bearer token.
    private static bool CredentialMatches(HttpRequest request, SimulatedAccount account)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)) return false;
        string? presented = null;
        if (account.ChannelType == ChannelTypes.EposNow)
        {
            if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } encoded)
            {
                try { presented = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)); }
                catch (FormatException) { return false; }
            }
        }
        else if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            presented = header.Parameter;
        }
        if (string.IsNullOrEmpty(presented)) return false;
        return account.ExpectedCredential is not { } expected || string.Equals(presented, expected, StringComparison.Ordinal);
    }
}

internal static class SimulatedAccountHttpContext
{
    /// <summary>The account the fault gate resolved for this call.</summary>
    public static SimulatedAccount SimulatedAccount(this HttpContext context) => (SimulatedAccount)context.Items[typeof(SimulatedAccount)]!;
}
