using System.Net.Sockets;
using System.Text;

namespace Fairlane.Tests.Worker.Tenants;

/// <summary>
/// Sends one HTTP/1.1 request with its target exactly as written. HttpClient normalises a path
/// (unescapes %61, removes dot segments) before it leaves, which hides the spellings an attacker
/// would try; a raw socket does not.
/// </summary>
internal static class RawHttp
{
    public static async Task<int> StatusAsync(int port, string method, string target, string? body, string? authorization)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        await using var stream = client.GetStream();
        var content = Encoding.UTF8.GetBytes(body ?? "");
        var head = new StringBuilder()
            .Append($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n")
            .Append($"Content-Length: {content.Length}\r\n");
        if (body is not null) head.Append("Content-Type: application/json\r\n");
        if (authorization is not null) head.Append($"Authorization: {authorization}\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), timeout.Token);
        await stream.WriteAsync(content, timeout.Token);

        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync(timeout.Token) ?? throw new IOException($"{method} {target}: no answer");
        var parts = statusLine.Split(' ', 3);
        return int.Parse(parts[1]);
    }
}
