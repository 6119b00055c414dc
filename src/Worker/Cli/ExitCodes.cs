namespace Fairlane.Worker.Cli;

/// <summary>The process exit codes, as documented in README.md and `fairlane --help`.</summary>
internal static class ExitCodes
{
    /// <summary>Finished normally, or stopped by SIGINT/SIGTERM.</summary>
    public const int Ok = 0;

    /// <summary>Failed at run time: a dependency was unreachable at start, a service faulted, a migration failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>A setting is missing or invalid; the message names it.</summary>
    public const int Configuration = 3;
}
