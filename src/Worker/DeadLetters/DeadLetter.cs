using Fairlane.Agents.Handling;
using Fairlane.Worker.Engine;

namespace Fairlane.Worker.DeadLetters;

/// <summary>What went wrong with a record, for the dead-letter headers.</summary>
internal sealed record DeadLetter(string Reason, string Detail, int Attempts = 0, string? ExceptionType = null)
{
    /// <summary>The dead letter a pipeline outcome asks for, after <paramref name="attempts"/> attempts.</summary>
    public static DeadLetter Of(Outcome outcome, int attempts) => outcome.Kind switch
    {
        OutcomeKind.DeadLetter => new(outcome.Reason!, outcome.Detail!, attempts, outcome.ExceptionType),
        OutcomeKind.Retry => new(Contracts.DeadLetterReasons.RetriesExhausted, outcome.Error!.Message, attempts, outcome.Error.GetType().FullName),
        _ => throw new ArgumentException($"A {outcome.Kind} outcome is no dead letter.", nameof(outcome)),
    };
}

/// <summary>The original record a dead letter carries: its bytes and headers as consumed, and where it came from.</summary>
internal sealed record DeadLetterSource(string Topic, int Partition, long Offset, string? Key, byte[]? Value, IReadOnlyList<KeyValuePair<string, byte[]>> Headers)
{
    public static DeadLetterSource Of(EngineEvent e) => new(e.Partition.Topic, e.Partition.Partition, e.Offset, e.Key, e.Value, e.Headers);
}
