using Confluent.Kafka;

namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// The <c>reason</c> label of <c>fairlane_dead_letter_failures_total</c>: a fixed set, whatever the
/// error. Only the first three are permanent (the record falls back to fewer headers, then to
/// PostgreSQL); the others are retried with backoff, so a broker that is down never costs a record.
/// </summary>
internal static class DeadLetterFailureReasons
{
    public const string TooLarge = "too_large";
    public const string NotAuthorized = "not_authorized";
    public const string InvalidRecord = "invalid_record";
    public const string Transient = "transient";
    public const string Unexpected = "unexpected";
    public const string StoreFailed = "store_failed";
    public const string IndexFailed = "index_failed";

    public static IReadOnlyList<string> All { get; } = [TooLarge, NotAuthorized, InvalidRecord, Transient, Unexpected, StoreFailed, IndexFailed];

    /// <summary>The reason when the topic will refuse this record however often it is sent, else null.</summary>
    public static string? Permanent(ErrorCode code) => code switch
    {
        ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge or ErrorCode.InvalidMsgSize => TooLarge,
        ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed => NotAuthorized,
        ErrorCode.InvalidRecord or ErrorCode.InvalidTimestamp => InvalidRecord,
        _ => null,
    };
}
