using System.Security.Cryptography;
using System.Text;
using Fairlane.Agents.Channels;

namespace Fairlane.Tests.Agents.Channels;

public sealed class CredentialProtectorTests
{
    private static readonly ChannelKey Channel = new("tenant-a", "shop");
    private static readonly ChannelCredentials Credentials = new("api-key-4e1d", "very-secret-9c2b");

    private static CredentialProtector NewProtector(byte keyId = 0) => new(RandomNumberGenerator.GetBytes(CredentialProtector.KeySize), keyId);

    [Fact]
    public void Credentials_round_trip()
    {
        var protector = NewProtector();

        Assert.Equal(Credentials, protector.Unprotect(protector.Protect(Credentials, Channel), Channel));
    }

    [Fact]
    public void The_stored_form_is_version_key_id_nonce_tag_ciphertext_and_hides_the_secret()
    {
        var protector = NewProtector(keyId: 7);

        var stored = protector.Protect(Credentials, Channel);

        Assert.Equal(CredentialProtector.FormatVersion, stored[0]);
        Assert.Equal(7, stored[1]);
        var plaintextLength = Encoding.UTF8.GetByteCount("""{"apiKey":"api-key-4e1d","secret":"very-secret-9c2b"}""");
        Assert.Equal(2 + 12 + 16 + plaintextLength, stored.Length);
        Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Credentials.Secret)));
        Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Credentials.ApiKey!)));
    }

    [Fact]
    public void Each_encryption_uses_a_fresh_nonce()
    {
        var protector = NewProtector();

        var first = protector.Protect(Credentials, Channel);
        var second = protector.Protect(Credentials, Channel);

        Assert.NotEqual(first, second);
        Assert.Equal(Credentials, protector.Unprotect(second, Channel));
    }

    [Fact]
    public void A_different_key_fails_with_a_clear_error()
    {
        var stored = NewProtector().Protect(Credentials, Channel);

        var ex = Assert.Throws<CredentialDecryptionException>(() => NewProtector().Unprotect(stored, Channel));

        Assert.Contains("Channels:CredentialKey", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tenant-a/shop", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Credentials.Secret, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_copied_to_another_channel_does_not_decrypt()
    {
        var protector = NewProtector();
        var stored = protector.Protect(Credentials, Channel);

        Assert.Throws<CredentialDecryptionException>(() => protector.Unprotect(stored, new ChannelKey("tenant-a", "other")));
        Assert.Throws<CredentialDecryptionException>(() => protector.Unprotect(stored, new ChannelKey("tenant-b", "shop")));
    }

    [Theory]
    [InlineData(1)]  // the key id byte
    [InlineData(5)]  // the nonce
    [InlineData(20)] // the tag
    [InlineData(40)] // the ciphertext
    public void An_altered_value_does_not_decrypt(int index)
    {
        var protector = NewProtector();
        var stored = protector.Protect(Credentials, Channel);
        stored[index] ^= 0x01;

        Assert.Throws<CredentialDecryptionException>(() => protector.Unprotect(stored, Channel));
    }

    [Fact]
    public void A_value_under_another_key_id_names_both_ids()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var stored = new CredentialProtector(key, keyId: 1).Protect(Credentials, Channel);

        var ex = Assert.Throws<CredentialDecryptionException>(() => new CredentialProtector(key, keyId: 2).Unprotect(stored, Channel));

        Assert.Contains("key id 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("key id 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_value_is_reported_not_crashed_on()
    {
        var ex = Assert.Throws<CredentialDecryptionException>(() => NewProtector().Unprotect(new byte[] { 1, 0, 3 }, Channel));

        Assert.Contains("too short", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_base64_key_of_32_bytes_is_accepted()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var stored = new CredentialProtector(key).Protect(Credentials, Channel);

        Assert.Equal(Credentials, CredentialProtector.FromBase64(Convert.ToBase64String(key)).Unprotect(stored, Channel));
    }

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("", "is not set")]
    [InlineData("   ", "is not set")]
    [InlineData("this is not base64!", "not valid base64")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==", "is 16 bytes")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g", "is 33 bytes")]
    public void A_missing_or_malformed_key_names_the_setting(string? configured, string problem)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => CredentialProtector.FromBase64(configured));

        Assert.StartsWith("Channels:CredentialKey (FAIRLANE__CHANNELS__CREDENTIALKEY)", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_of_the_wrong_length_is_refused_from_bytes_too()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new CredentialProtector(new byte[31]));

        Assert.Contains("Channels:CredentialKey", ex.Message, StringComparison.Ordinal);
    }
}
