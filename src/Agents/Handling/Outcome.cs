using Fairlane.Contracts;

namespace Fairlane.Agents.Handling;

/// <summary>The four ways processing an event can end.</summary>
public enum OutcomeKind
{
    /// <summary>Its effects committed.</summary>
    Done,

    /// <summary>The processed-events ledger already had it: skipped, nothing applied again.</summary>
    Duplicate,

    /// <summary>A transient failure (a database restarting, a timeout): try it again later.</summary>
    Retry,

    /// <summary>It can never succeed: send it to the dead-letter topic with its reason.</summary>
    DeadLetter,
}

/// <summary>
/// How processing one event ended: the one shape a failure keeps from the handler through the
/// pipeline to the dispatcher, which acts on it (finish, re-queue or dead-letter).
/// </summary>
public sealed record Outcome
{
    private Outcome(OutcomeKind kind, Exception? error = null, string? reason = null, string? detail = null, string? exceptionType = null)
    {
        Kind = kind;
        Error = error;
        Reason = reason;
        Detail = detail;
        ExceptionType = exceptionType;
    }

    public OutcomeKind Kind { get; }

    /// <summary>What failed, for <see cref="OutcomeKind.Retry"/>.</summary>
    public Exception? Error { get; }

    /// <summary>The dead-letter reason code (<see cref="DeadLetterReasons"/>), for <see cref="OutcomeKind.DeadLetter"/>.</summary>
    public string? Reason { get; }

    /// <summary>What went wrong, in words, for <see cref="OutcomeKind.DeadLetter"/>.</summary>
    public string? Detail { get; }

    /// <summary>The exception's type when an exception caused the dead letter, else null.</summary>
    public string? ExceptionType { get; }

    public static Outcome Done { get; } = new(OutcomeKind.Done);

    public static Outcome Duplicate { get; } = new(OutcomeKind.Duplicate);

    public static Outcome Retry(Exception error) => new(OutcomeKind.Retry, error: error);

    public static Outcome DeadLetter(string reason, string detail, string? exceptionType = null) =>
        new(OutcomeKind.DeadLetter, reason: reason, detail: detail, exceptionType: exceptionType);

    /// <summary>The event can never succeed (e.g. it contradicts the tenant's data): dead-letter it.</summary>
    public static Outcome Permanent(string detail) => DeadLetter(DeadLetterReasons.PermanentFailure, detail);

    /// <summary>Done or duplicate: the event needs nothing more.</summary>
    public bool Completed => Kind is OutcomeKind.Done or OutcomeKind.Duplicate;
}
