namespace Fairlane.LoadTest;

/// <summary>fairlane-loadtest's exit codes.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>With --check: a target was missed (the report says which).</summary>
    public const int TargetMissed = 1;

    public const int BadCommandLine = 2;

    /// <summary>The stack could not be brought up or the run failed before measuring.</summary>
    public const int RunFailed = 3;
}
