using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Fairlane.Tests.Deploy;

/// <summary>
/// Plays systemd's side of sd_notify(3): a Unix datagram socket whose path goes in NOTIFY_SOCKET,
/// recording every message a child process sends to it.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TempDirectory _dir = DeployFiles.TempDirectory("fl-sd");
    private readonly Task _receiving;

    public NotifySocket()
    {
        Path = _dir.Path("notify");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _receiving = ReceiveAsync();
    }

    public string Path { get; }

    public IReadOnlyCollection<string> Messages => _messages;

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                _messages.Enqueue(Encoding.UTF8.GetString(buffer, 0, length));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _receiving.Wait(TimeSpan.FromSeconds(5));
        _socket.Dispose();
        _stop.Dispose();
        _dir.Dispose();
    }
}
