using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Fairlane.Agents.Channels;

/// <summary>
/// Encrypts channel credentials for the <c>channels.credentials</c> column with AES-256-GCM under
/// the key from <c>Channels:CredentialKey</c>; the key never touches the database. Each value is
/// bound to its tenant and channel (associated data), so a ciphertext copied onto another channel's
/// row does not decrypt. Thread-safe.
/// </summary>
/// <remarks>
/// Stored layout (<see cref="FormatVersion"/> 1): version (1 byte) · key id (1 byte) · nonce (12) ·
/// tag (16) · ciphertext. The key id lets a future key rotation tell old values from new ones.
/// </remarks>
public sealed class CredentialProtector
{
    public const string SettingName = "Channels:CredentialKey";
    public const int KeySize = 32;
    public const byte FormatVersion = 1;

    private const string EnvironmentVariable = "FAIRLANE__CHANNELS__CREDENTIALKEY";
    private const int HeaderSize = 2;
    private const int NonceSize = 12; // AesGcm.NonceByteSizes.MaxSize
    private const int TagSize = 16;   // AesGcm.TagByteSizes.MaxSize
    private const int Overhead = HeaderSize + NonceSize + TagSize;

    private readonly byte[] _key;

    public CredentialProtector(ReadOnlySpan<byte> key, byte keyId = 0)
    {
        if (key.Length != KeySize) throw CredentialErrors.KeyWrongLength(key.Length);
        _key = key.ToArray();
        KeyId = keyId;
    }

    /// <summary>From the configured setting: 32 bytes in base64 (e.g. <c>openssl rand -base64 32</c>).</summary>
    public static CredentialProtector FromBase64(string? base64Key, byte keyId = 0)
    {
        if (string.IsNullOrWhiteSpace(base64Key)) throw CredentialErrors.KeyMissing();
        var key = new byte[KeySize];
        try
        {
            if (!Convert.TryFromBase64String(base64Key.Trim(), key, out var written))
            {
                // Too long for the buffer, or not base64 at all: tell the two apart for the message.
                throw CredentialErrors.KeyWrongLength(Convert.FromBase64String(base64Key.Trim()).Length);
            }
            return new CredentialProtector(key.AsSpan(0, written), keyId);
        }
        catch (FormatException)
        {
            throw CredentialErrors.KeyNotBase64();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Which key this protector encrypts with, recorded in every value it writes.</summary>
    public byte KeyId { get; }

    /// <summary>The stored form of a channel's credentials.</summary>
    public byte[] Protect(ChannelCredentials credentials, ChannelKey channel)
    {
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(new StoredCredentials(credentials.ApiKey, credentials.Secret), ChannelJson.Default.StoredCredentials);
        try
        {
            var stored = new byte[Overhead + plaintext.Length];
            stored[0] = FormatVersion;
            stored[1] = KeyId;
            var nonce = stored.AsSpan(HeaderSize, NonceSize);
            RandomNumberGenerator.Fill(nonce); // random 96-bit nonces: safe for far more writes than channels will ever see
            using var aes = new AesGcm(_key, TagSize);
            aes.Encrypt(nonce, plaintext, stored.AsSpan(Overhead), stored.AsSpan(HeaderSize + NonceSize, TagSize), AssociatedData(stored, channel));
            return stored;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>A channel's credentials from their stored form; <see cref="CredentialDecryptionException"/> when they cannot be read.</summary>
    public ChannelCredentials Unprotect(ReadOnlySpan<byte> stored, ChannelKey channel)
    {
        if (stored.Length < Overhead) throw CredentialErrors.Truncated(channel, stored.Length);
        if (stored[0] != FormatVersion) throw CredentialErrors.UnknownVersion(channel, stored[0]);
        if (stored[1] != KeyId) throw CredentialErrors.OtherKey(channel, stored[1], KeyId);

        var plaintext = new byte[stored.Length - Overhead];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(stored.Slice(HeaderSize, NonceSize), stored[Overhead..], stored.Slice(HeaderSize + NonceSize, TagSize), plaintext,
                AssociatedData(stored, channel));
            var parsed = JsonSerializer.Deserialize(plaintext, ChannelJson.Default.StoredCredentials)
                ?? throw CredentialErrors.NotCredentials(channel, null);
            return new ChannelCredentials(parsed.ApiKey, parsed.Secret ?? "");
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw CredentialErrors.WrongKeyOrAltered(channel, KeyId, ex);
        }
        catch (JsonException ex)
        {
            throw CredentialErrors.NotCredentials(channel, ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    // The header and the channel's identity are authenticated with the ciphertext: changing the
    // version or key id, or moving the value to another tenant's or channel's row, fails decryption.
    private static byte[] AssociatedData(ReadOnlySpan<byte> stored, ChannelKey channel)
    {
        var tenant = Encoding.UTF8.GetBytes(channel.TenantId);
        var id = Encoding.UTF8.GetBytes(channel.ChannelId);
        var data = new byte[HeaderSize + 4 + tenant.Length + id.Length];
        stored[..HeaderSize].CopyTo(data);
        // Length-prefixing the tenant keeps ("ab", "c") and ("a", "bc") apart.
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(HeaderSize), tenant.Length);
        tenant.CopyTo(data, HeaderSize + 4);
        id.CopyTo(data, HeaderSize + 4 + tenant.Length);
        return data;
    }

    private static class CredentialErrors
    {
        private const string HowToMakeOne = "Generate one with `openssl rand -base64 32` and keep it: credentials saved under a key can only be read with it.";

        public static InvalidOperationException KeyMissing() => new(
            $"{SettingName} ({EnvironmentVariable}) is not set. It must be {KeySize} random bytes in base64; it encrypts channel credentials at rest. {HowToMakeOne}");

        public static InvalidOperationException KeyNotBase64() => new(
            $"{SettingName} ({EnvironmentVariable}) is not valid base64. It must be {KeySize} random bytes in base64. {HowToMakeOne}");

        public static InvalidOperationException KeyWrongLength(int length) => new(
            $"{SettingName} ({EnvironmentVariable}) is {length} bytes; AES-256-GCM needs exactly {KeySize} (44 base64 characters). {HowToMakeOne}");

        public static CredentialDecryptionException Truncated(ChannelKey channel, int length) => new(
            $"The stored credentials of channel {channel} are {length} bytes, too short to be encrypted credentials. Save the channel's credentials again.");

        public static CredentialDecryptionException UnknownVersion(ChannelKey channel, byte version) => new(
            $"The stored credentials of channel {channel} are in format version {version}, which this build cannot read (it reads {FormatVersion}). " +
            "Run a newer Fairlane, or save the channel's credentials again.");

        public static CredentialDecryptionException OtherKey(ChannelKey channel, byte stored, byte configured) => new(
            $"The credentials of channel {channel} were encrypted under key id {stored}, but {SettingName} is configured as key id {configured}. " +
            $"Configure the key they were saved with, or save the channel's credentials again.");

        public static CredentialDecryptionException WrongKeyOrAltered(ChannelKey channel, byte keyId, Exception inner) => new(
            $"The credentials of channel {channel} cannot be decrypted with the configured {SettingName} (key id {keyId}): they were encrypted " +
            $"with a different key, or the stored value was altered or copied from another channel. Set {SettingName} to the key they were " +
            "saved with, or save the channel's credentials again.", inner);

        public static CredentialDecryptionException NotCredentials(ChannelKey channel, Exception? inner) => new(
            $"The credentials of channel {channel} decrypted, but are not in the expected form. Save the channel's credentials again.", inner);
    }
}
