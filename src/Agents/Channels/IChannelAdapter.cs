namespace Fairlane.Agents.Channels;

/// <summary>
/// Speaks one channel type's HTTP API. Calls are batched up to <see cref="MaxBatchSize"/> items
/// and run through the channel's resilience pipeline (retries, circuit breaker, timeouts). Failures
/// surface as <see cref="ChannelException"/> subtypes: <see cref="ChannelAuthException"/> (never
/// retried: mark the channel auth_failed), <see cref="ChannelThrottledException"/>,
/// <see cref="ChannelTransientException"/>, <see cref="ChannelUnavailableException"/> (breaker open)
/// and <see cref="ChannelRejectedException"/> (the request itself is wrong).
/// </summary>
public interface IChannelAdapter
{
    /// <summary>eposnow, wix or deliveroo.</summary>
    string ChannelType { get; }

    /// <summary>The most items the channel accepts in one call.</summary>
    int MaxBatchSize { get; }

    /// <summary>Stock of each requested item the channel has; ids it does not know are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, int>> ReadStockAsync(ChannelConnection connection, IReadOnlyList<string> externalIds, CancellationToken cancellationToken);

    /// <summary>
    /// Sets each item's stock, one result per distinct external id (the last push of an id wins). A
    /// failure part-way leaves earlier batches applied; pushes are absolute, so repeating them is safe.
    /// </summary>
    Task<IReadOnlyList<StockPushResult>> PushStockAsync(ChannelConnection connection, IReadOnlyList<StockPush> pushes, CancellationToken cancellationToken);
}
