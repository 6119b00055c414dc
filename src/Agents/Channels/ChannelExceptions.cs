namespace Fairlane.Agents.Channels;

/// <summary>A channel call failed. Built by <see cref="ChannelErrors"/>; the subtype says what to do about it.</summary>
public abstract class ChannelException : Exception
{
    private protected ChannelException(ChannelConnection channel, string operation, string message, Exception? inner)
        : base(message, inner)
    {
        Channel = channel.Key;
        ChannelType = channel.Type;
        Operation = operation;
    }

    public ChannelKey Channel { get; }
    public string ChannelType { get; }

    /// <summary>read or push (see <see cref="ChannelOperations"/>).</summary>
    public string Operation { get; }
}

/// <summary>The channel refused our credentials (401/403). Never retried: the channel is auth_failed until they change.</summary>
public sealed class ChannelAuthException : ChannelException
{
    internal ChannelAuthException(ChannelConnection channel, string operation, int statusCode, string message)
        : base(channel, operation, message, null) => StatusCode = statusCode;

    public int StatusCode { get; }
}

/// <summary>The channel rate-limited us (429) and retries did not get through, or it asked for a longer wait than we allow inline.</summary>
public sealed class ChannelThrottledException : ChannelException
{
    internal ChannelThrottledException(ChannelConnection channel, string operation, TimeSpan? retryAfter, string message)
        : base(channel, operation, message, null) => RetryAfter = retryAfter;

    /// <summary>The channel's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>A failure worth retrying later: 5xx, 408, a timeout, a network error or an unreadable answer.</summary>
public sealed class ChannelTransientException : ChannelException
{
    internal ChannelTransientException(ChannelConnection channel, string operation, int? statusCode, string message, Exception? inner)
        : base(channel, operation, message, inner) => StatusCode = statusCode;

    /// <summary>The HTTP status, when the channel answered at all.</summary>
    public int? StatusCode { get; }
}

/// <summary>The channel's circuit breaker is open after repeated failures: no call was made.</summary>
public sealed class ChannelUnavailableException : ChannelException
{
    internal ChannelUnavailableException(ChannelConnection channel, string operation, TimeSpan? retryAfter, string message, Exception inner)
        : base(channel, operation, message, inner) => RetryAfter = retryAfter;

    /// <summary>When the breaker lets a trial call through again, if known.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>The channel rejected the request as wrong (a 4xx other than 401/403/408/429). Retrying cannot help.</summary>
public sealed class ChannelRejectedException : ChannelException
{
    internal ChannelRejectedException(ChannelConnection channel, string operation, int statusCode, string message)
        : base(channel, operation, message, null) => StatusCode = statusCode;

    public int StatusCode { get; }
}
