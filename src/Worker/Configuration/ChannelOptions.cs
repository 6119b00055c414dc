namespace Fairlane.Worker.Configuration;

/// <summary>Channel adapters: the key that protects stored credentials (resilience settings are under Channels:Resilience).</summary>
public sealed class ChannelOptions
{
    public const string Section = "Channels";

    /// <summary>Base64 of 32 random bytes (AES-256-GCM) encrypting channel credentials at rest. Required.</summary>
    public string CredentialKey { get; set; } = "";
}
