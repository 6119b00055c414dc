using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fairlane.Agents.Tenants;

/// <summary>
/// Writes and reads an enum stored as text in a <c>tenants</c> column as that same text, so API clients
/// see what the database holds; text the column does not allow fails with the parser's message.
/// </summary>
internal abstract class ColumnTextJsonConverter<T>(string what, Func<T, string> toText, Func<string, T> parse) : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? parse(reader.GetString()!)
            : throw new JsonException($"A {what} must be a string; got {reader.TokenType}.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(toText(value));
}
