using System.Globalization;
using System.Net;
using Polly.CircuitBreaker;

namespace Fairlane.Agents.Channels;

/// <summary>Every channel exception is built here, with a message that says what happened and what to do.</summary>
internal static class ChannelErrors
{
    private const int MaxBodyInMessage = 300;

    /// <summary>The exception for an unsuccessful HTTP answer.</summary>
    public static async Task<ChannelException> FromResponseAsync(
        ChannelConnection channel, string operation, HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await ReadBodyAsync(response, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ChannelAuthException(channel, operation, status,
                $"Channel {channel} refused our credentials on {operation} (HTTP {status}). Not retried: the channel needs new " +
                "credentials, and should be marked auth_failed until it has them."),
            HttpStatusCode.TooManyRequests => Throttled(channel, operation, RetryAfter(response, time)),
            HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError => new ChannelTransientException(channel, operation, status,
                $"Channel {channel} failed on {operation} (HTTP {status}{Detail(body)}). Retried with backoff; persistent failures open its circuit breaker.",
                null),
            _ => new ChannelRejectedException(channel, operation, status,
                $"Channel {channel} rejected the {operation} request (HTTP {status}{Detail(body)}). Not retried: the request or the " +
                "product mapping it came from is wrong."),
        };
    }

    public static ChannelThrottledException Throttled(ChannelConnection channel, string operation, TimeSpan? retryAfter) =>
        new(channel, operation, retryAfter,
            $"Channel {channel} is rate-limiting {operation} (HTTP 429" +
            (retryAfter is { } after ? $", Retry-After {after.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s)" : ")") +
            ". Try again after that; Channels:Resilience:MaxRetryAfterMs bounds how long a call waits for it inline.");

    public static ChannelUnavailableException CircuitOpen(ChannelConnection channel, string operation, BrokenCircuitException inner) =>
        new(channel, operation, inner.RetryAfter,
            $"Channel {channel} is failing repeatedly, so its circuit breaker is open and {operation} was not attempted" +
            (inner.RetryAfter is { } after ? $"; a trial call is let through in {after.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s." : "."),
            inner);

    public static ChannelTransientException TimedOut(ChannelConnection channel, string operation, Exception inner) =>
        new(channel, operation, null,
            $"Channel {channel} did not answer {operation} within Channels:Resilience:AttemptTimeoutMs, on every attempt. Retry later.", inner);

    public static ChannelTransientException Unreachable(ChannelConnection channel, string operation, HttpRequestException inner) =>
        new(channel, operation, null, $"Channel {channel} could not be reached for {operation}: {inner.Message} Retry later.", inner);

    public static ChannelTransientException BadAnswer(ChannelConnection channel, string operation, Exception? inner) =>
        new(channel, operation, 200,
            $"Channel {channel} answered {operation} with a body that is not the {channel.Type} format we expect. Retried; if it " +
            "persists, the channel's API or base URL has changed.", inner);

    // Retry-After is either whole seconds or an HTTP date (RFC 9110 §10.2.3).
    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return body.Length <= MaxBodyInMessage ? body : body[..MaxBodyInMessage] + "…";
        }
        catch (HttpRequestException)
        {
            return ""; // the status alone still classifies the failure
        }
    }

    private static string Detail(string body) => string.IsNullOrWhiteSpace(body) ? "" : ": " + body.ReplaceLineEndings(" ");
}
