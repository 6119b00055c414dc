using System.Globalization;
using System.Text;
using Fairlane.Contracts;

namespace Fairlane.Worker.Infrastructure;

internal static class RecordHeaders
{
    /// <summary>A record's headers as name/bytes pairs (names may repeat).</summary>
    public static IReadOnlyList<KeyValuePair<string, byte[]>> Of(Confluent.Kafka.ConsumeResult<string?, byte[]?> record) =>
        record.Message.Headers?.Select(h => KeyValuePair.Create(h.Key, h.GetValueBytes())).ToList() ?? [];

    /// <summary>The producer's fl-produced-at header, the start of end-to-end latency.</summary>
    public static DateTimeOffset? ProducedAt(IReadOnlyList<KeyValuePair<string, byte[]>> headers)
    {
        for (var i = headers.Count - 1; i >= 0; i--)
        {
            if (headers[i].Key != HeaderNames.ProducedAt) continue;
            return long.TryParse(Encoding.UTF8.GetString(headers[i].Value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null;
        }
        return null;
    }
}
