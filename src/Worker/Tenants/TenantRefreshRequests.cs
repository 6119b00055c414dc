using System.Threading.Channels;

namespace Fairlane.Worker.Tenants;

/// <summary>
/// Asks the tenant refresher to re-read the tenants now instead of at its next interval. Requests that
/// arrive while one is already pending fold into it, so a burst of change notices (one per Redis node,
/// or a script changing many tenants) costs a read or two, not one per notice.
/// </summary>
internal sealed class TenantRefreshRequests
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Request() => _pending.Writer.TryWrite(true);

    /// <summary>
    /// Waits until a refresh is requested or <paramref name="interval"/> has passed, and takes the request.
    /// A request made during the refresh that follows is kept for the next wait: that refresh may have read
    /// the table before the change the request announces.
    /// </summary>
    public async Task WaitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(interval);
        try
        {
            await _pending.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The interval passed: the periodic refresh.
        }
    }
}
