namespace Fairlane.Agents.Channels;

/// <summary>A channel's stored credentials cannot be read with the configured key; the message says why and what to do.</summary>
public sealed class CredentialDecryptionException : Exception
{
    internal CredentialDecryptionException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
