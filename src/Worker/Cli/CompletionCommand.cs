namespace Fairlane.Worker.Cli;

/// <summary>
/// <c>fairlane completion bash</c>: a completion script for the shell. The script asks fairlane itself
/// through System.CommandLine's <c>[suggest:POSITION]</c> directive, so completions always follow the
/// grammar of the binary installed, with no dotnet-suggest tool to install.
/// </summary>
internal static class CompletionCommand
{
    public static readonly string[] Shells = ["bash"];

    // The directive parses the line without the program's name; POSITION is the cursor within that rest.
    public const string Bash = """
        # bash completion for fairlane. Load it with: source <(fairlane completion bash)
        _fairlane_complete()
        {
            local line="${COMP_LINE:0:COMP_POINT}"
            local rest="${line#"${COMP_WORDS[0]}"}"
            rest="${rest# }"
            local IFS=$'\n'
            local candidates
            candidates="$("${COMP_WORDS[0]}" "[suggest:${#rest}]" "$rest" 2>/dev/null)"
            COMPREPLY=( $(compgen -W "$candidates" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _fairlane_complete fairlane
        """;

    public static int Run(CommandLine line)
    {
        // The grammar accepts only the shells listed; the verb prints the script of the one named.
        Console.WriteLine(line.Arguments is ["bash"] ? Bash : throw new UsageException("completion needs a shell: bash."));
        return ExitCodes.Ok;
    }
}
