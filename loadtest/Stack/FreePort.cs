using System.Net;
using System.Net.Sockets;

namespace Fairlane.LoadTest.Stack;

internal static class FreePort
{
    /// <summary>A loopback port free right now (the OS picks it; another process could still take it).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
