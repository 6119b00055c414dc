using Fairlane.Agents.Channels;

namespace Fairlane.Agents.Catalog;

/// <summary>
/// What catalogue values may be. The ranges include the tables' CHECK constraints, so a value refused here would
/// also be refused by PostgreSQL, only with a worse message. Every error names the field, with the prefix
/// that places it in a bulk import (<c>products[3].</c>, <c>line 7 </c>).
/// </summary>
internal static class CatalogRules
{
    public const int MaxIdLength = 128;
    public const int MaxExternalIdLength = 256;
    public const int MaxTextLength = 200;
    public const int MaxSecretLength = 4096;

    public static void CheckId(string field, string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':'))
            throw CatalogErrors.Invalid(field, $"must be 1-{MaxIdLength} characters of letters, digits, '.', '_', '-' or ':'; got '{id}'.");
    }

    public static void CheckExternalId(string field, string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxExternalIdLength || id.Any(char.IsControl) || id.Trim().Length != id.Length)
            throw CatalogErrors.Invalid(field, $"must be 1-{MaxExternalIdLength} characters, without control characters or surrounding spaces.");
    }

    public static void Check(string prefix, ProductDefinition product)
    {
        CheckId(prefix + "id", product.Id);
        CheckText(prefix + "sku", product.Sku);
        CheckText(prefix + "name", product.Name);
        if (product.Stock is < 0) throw CatalogErrors.Invalid(prefix + "stock", $"must be a whole number of at least 0, or left out to keep the stock; got {product.Stock}.");
        if (product.BufferStock < 0) throw CatalogErrors.Invalid(prefix + "bufferStock", $"must be a whole number of at least 0; got {product.BufferStock}.");
        if (product.LowStockThreshold is < 0)
            throw CatalogErrors.Invalid(prefix + "lowStockThreshold", $"must be a whole number of at least 0, or null for none; got {product.LowStockThreshold}.");
    }

    public static void Check(string prefix, ChannelDefinition channel)
    {
        CheckId(prefix + "id", channel.Id);
        if (!ChannelTypes.All.Contains(channel.Type))
            throw CatalogErrors.Invalid(prefix + "type", $"must be one of {string.Join(", ", ChannelTypes.All)}; got '{channel.Type}'.");
        CheckText(prefix + "name", channel.Name);
        if (!ChannelConfiguration.TryParseBaseUrl(channel.BaseUrl, out var url, out var problem))
            throw CatalogErrors.Invalid(prefix + "baseUrl", $"is not usable: {problem}.");
        // A URL is shown by GET; secrets belong in credentials, which are encrypted and never shown.
        if (url.UserInfo.Length > 0) throw CatalogErrors.Invalid(prefix + "baseUrl", "must not carry a user name or password; give them as credentials.");
        if (channel.CredentialsChange == CredentialsChange.Set)
        {
            var credentials = channel.Credentials ?? ChannelCredentials.None;
            if (string.IsNullOrEmpty(credentials.Secret))
                throw CatalogErrors.Invalid(prefix + "credentials.secret", "is required when credentials are given (null credentials remove them).");
            if (credentials.Secret.Length > MaxSecretLength || (credentials.ApiKey?.Length ?? 0) > MaxSecretLength)
                throw CatalogErrors.Invalid(prefix + "credentials", $"values must be at most {MaxSecretLength} characters each.");
        }
    }

    public static void Check(string prefix, CatalogMapping mapping)
    {
        CheckId(prefix + "channelId", mapping.ChannelId);
        CheckExternalId(prefix + "externalId", mapping.ExternalId);
        CheckId(prefix + "productId", mapping.ProductId);
    }

    private static void CheckText(string field, string text)
    {
        if (text.Length > MaxTextLength) throw CatalogErrors.Invalid(field, $"must be at most {MaxTextLength} characters; got {text.Length}.");
        if (text.Any(char.IsControl)) throw CatalogErrors.Invalid(field, "must not contain control characters.");
    }
}
