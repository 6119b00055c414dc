using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Fairlane.Contracts;

namespace Fairlane.DevKafka;

/// <summary>
/// The loopback-only HTTP control API of <c>fairlane-devkafka</c>: lets scripts and tests read
/// the bootstrap servers, take brokers down and up, and add topics while the cluster runs.
/// </summary>
/// <remarks>
/// A minimal HTTP/1.1 server (one request per connection) rather than HttpListener: the managed
/// HttpListener answers 411 to a POST without Content-Length, which is what a plain
/// <c>curl -X POST</c> sends, so the obvious way to call this API would fail.
/// </remarks>
internal sealed class ControlServer : IAsyncDisposable
{
    private const int MaxHeadBytes = 8 * 1024;
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener;
    private readonly MockCluster _cluster;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private readonly Task _acceptLoop;

    private ControlServer(MockCluster cluster, int port, Action<string> log)
    {
        _cluster = cluster;
        _log = log;
        // Loopback only: the API can stop brokers and must not be reachable from the network.
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _acceptLoop = Task.Run(AcceptAsync);
    }

    /// <exception cref="SocketException">The port is taken or cannot be bound.</exception>
    public static ControlServer Start(MockCluster cluster, int port, Action<string> log) => new(cluster, port, log);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_inFlight.Keys).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return; // stopped
            }
            var task = ServeAsync(socket);
            _inFlight[task] = true;
            _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(ClientTimeout);
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            var (status, body) = await ReadRequestAsync(stream, timeout.Token).ConfigureAwait(false) is { } request
                ? Handle(request.Method, request.Target)
                : (400, "malformed HTTP request");
            await WriteResponseAsync(stream, status, body, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The client went away or was too slow; nothing to answer.
        }
        catch (Exception e)
        {
            _log($"control API: {e}"); // a bug here must not take the cluster down
        }
    }

    private static async Task<(string Method, string Target)?> ReadRequestAsync(NetworkStream stream, CancellationToken cancel)
    {
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        int headEnd;
        while ((headEnd = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (length == buffer.Length) return null;
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancel).ConfigureAwait(false);
            if (read == 0) return null;
            length += read;
        }

        var lines = Encoding.ASCII.GetString(buffer, 0, headEnd).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) return null;

        // Read any body to its end, though no endpoint uses one: closing a socket with unread
        // input resets the connection, and the client could lose the response.
        var contentLength = 0L;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && !long.TryParse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out contentLength))
            {
                return null;
            }
        }
        var pending = contentLength - (length - headEnd - 4);
        while (pending > 0)
        {
            var read = await stream.ReadAsync(buffer, cancel).ConfigureAwait(false);
            if (read == 0) break;
            pending -= read;
        }
        return (requestLine[0], requestLine[1]);
    }

    private (int Status, string Body) Handle(string method, string target)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var query = q >= 0 ? target[(q + 1)..] : "";
        var path = q >= 0 ? target[..q] : target;
        var segments = path.Trim('/').Split('/');
        try
        {
            switch (segments)
            {
                case ["bootstrap"]:
                    return method == "GET" ? (200, _cluster.BootstrapServers) : NotAllowed("GET");

                case ["brokers", var id, ("down" or "up") and var state]:
                    if (method != "POST") return NotAllowed("POST");
                    if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var brokerId)
                        || brokerId < 1 || brokerId > _cluster.Brokers)
                    {
                        return (404, $"no broker '{id}': ids run from 1 to {_cluster.Brokers}");
                    }
                    if (state == "down") _cluster.SetBrokerDown(brokerId);
                    else _cluster.SetBrokerUp(brokerId);
                    _log($"broker {brokerId} {state}");
                    return (204, "");

                case ["topics", var escaped]:
                    if (method != "POST") return NotAllowed("POST");
                    var name = Uri.UnescapeDataString(escaped);
                    if (!MockCluster.IsValidTopicName(name)) return (400, $"'{name}' is not a valid topic name");
                    var parameters = ParseQuery(query);
                    if (!TryGetInt(parameters, "partitions", Topics.DefaultPartitions, out var partitions, out var error)
                        || !TryGetInt(parameters, "replicationFactor", _cluster.DefaultReplicationFactor, out var replicas, out error))
                    {
                        return (400, error);
                    }
                    if (replicas > _cluster.Brokers)
                    {
                        return (400, $"replicationFactor must not exceed the broker count ({_cluster.Brokers})");
                    }
                    _cluster.CreateTopic(name, partitions, replicas);
                    _log($"created topic {name} ({partitions} partitions, replication factor {replicas})");
                    return (201, "");

                default:
                    return (404, $"no such endpoint: {method} {path}");
            }
        }
        catch (ArgumentException e)
        {
            return (400, e.Message);
        }
        catch (MockClusterException e) when (e.ErrorCode == Native.LibRdKafka.TopicAlreadyExists)
        {
            return (409, e.Message);
        }
        catch (MockClusterException e)
        {
            return (422, e.Message);
        }
        catch (ObjectDisposedException)
        {
            return (503, "the cluster is shutting down");
        }
    }

    private static (int, string) NotAllowed(string allowed) => (405, $"method not allowed; use {allowed}");

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            result[key] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
        }
        return result;
    }

    private static bool TryGetInt(Dictionary<string, string> query, string key, int fallback, out int value, out string error)
    {
        error = "";
        if (!query.TryGetValue(key, out var raw))
        {
            value = fallback;
            return true;
        }
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1) return true;
        error = $"{key} must be a positive whole number, not '{raw}'";
        return false;
    }

    private static async Task WriteResponseAsync(NetworkStream stream, int status, string body, CancellationToken cancel)
    {
        // Error reasons end in a newline for the terminal; data is sent exactly, for $(curl ...).
        var content = Encoding.UTF8.GetBytes(status >= 400 ? body + "\n" : body);
        var head = $"HTTP/1.1 {status} {Reason(status)}\r\n" +
                   (status == 204 ? "" : $"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {content.Length}\r\n") +
                   "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancel).ConfigureAwait(false);
        if (status != 204) await stream.WriteAsync(content, cancel).ConfigureAwait(false);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        422 => "Unprocessable Content",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
