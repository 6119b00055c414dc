namespace Fairlane.Worker.Configuration;

/// <summary>The HTTP listener for /metrics, /healthz and /readyz.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>The address to listen on; 0.0.0.0 to be scraped from other hosts.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Port of /metrics, /healthz and /readyz.</summary>
    public int MetricsPort { get; set; } = 9400;
}
