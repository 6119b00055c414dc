namespace Fairlane.Worker.Configuration;

/// <summary>The admin HTTP API: its own listener, apart from /metrics, behind a bearer token.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The shortest token accepted: a guessable token on an API that pauses tenants is no lock.</summary>
    public const int MinTokenLength = 32;

    /// <summary>Serve the admin API on this node. Change notices are heard either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The address to listen on; keep it on loopback or a private network.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 9401;

    /// <summary>The bearer token every admin request must carry. Required while the API is enabled.</summary>
    public string Token { get; set; } = "";
}
