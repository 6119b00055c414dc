namespace Fairlane.ChannelSimulator;

/// <summary>
/// Marks a vendor endpoint so the fault gate knows which account and operation a call is for.
/// Operations have the same names on every vendor, so a test can count reads and pushes without
/// knowing each vendor's routes.
/// </summary>
public sealed record SimulatedEndpoint(string ChannelType, string Operation)
{
    /// <summary>A batch read of stock levels.</summary>
    public const string Read = "read";

    /// <summary>A read of one item's stock (Epos Now's per-product endpoint).</summary>
    public const string ReadOne = "read-one";

    /// <summary>A batch stock update.</summary>
    public const string Push = "push";
}
