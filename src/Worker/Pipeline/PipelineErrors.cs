using Fairlane.Agents.Handling;

namespace Fairlane.Worker.Pipeline;

/// <summary>The pipeline's exceptions, built here and recognised by type, never by message.</summary>
internal static class PipelineErrors
{
    /// <summary>Ends a run with <paramref name="outcome"/>: thrown inside the transaction, it rolls every event's effects back.</summary>
    public static RunFailedException RunFailed(Outcome outcome) =>
        new(outcome, $"The run was stopped ({outcome.Kind}: {outcome.Reason} {outcome.Detail}); its transaction rolls back.");
}

/// <summary>A step ended the run; <see cref="Outcome"/> says how.</summary>
internal sealed class RunFailedException(Outcome outcome, string message) : Exception(message)
{
    public Outcome Outcome { get; } = outcome;
}
