using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Configuration;

internal sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    private const int MaxSeconds = 86_400;

    public ValidateOptionsResult Validate(string? name, HealthOptions o)
    {
        var e = new SettingErrors(HealthOptions.Section);
        e.Require(o.MaxPausedSeconds is >= 1 and <= MaxSeconds, nameof(o.MaxPausedSeconds),
            $"must be between 1 and {MaxSeconds}; got {o.MaxPausedSeconds}. It is how long a full buffer may pause consumption before /readyz turns 503.");
        e.Require(o.MaxCommitAgeSeconds is >= 1 and <= MaxSeconds, nameof(o.MaxCommitAgeSeconds),
            $"must be between 1 and {MaxSeconds}; got {o.MaxCommitAgeSeconds}. It is how long a committed offset may stand still before /readyz turns 503.");
        return e.Result();
    }
}
