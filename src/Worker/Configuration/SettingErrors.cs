using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Configuration;

/// <summary>
/// Collects configuration errors, each naming the setting both as a configuration key and as the
/// environment variable that sets it, so the operator can fix it from either side.
/// </summary>
internal sealed class SettingErrors(string section)
{
    private readonly List<string> _errors = [];

    public void Add(string key, string problem) =>
        _errors.Add($"{section}:{key} ({EnvironmentVariable(section, key)}) {problem}");

    public void Require(bool condition, string key, string problem)
    {
        if (!condition) Add(key, problem);
    }

    public ValidateOptionsResult Result() =>
        _errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors);

    public static string EnvironmentVariable(string section, string key) =>
        $"FAIRLANE__{section.ToUpperInvariant()}__{key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant()}";
}
