using System.Runtime.InteropServices;

namespace Fairlane.LoadTest.Reporting;

/// <summary>The machine a run was measured on, in one line for the report.</summary>
internal static class MachineDescription
{
    public static string Describe()
    {
        var cpu = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = FirstValue("/proc/meminfo", "MemTotal") is { } total && long.TryParse(total.Split(' ')[0], out var kb)
            ? $"{kb / 1024.0 / 1024.0:0.#} GiB"
            : "unknown memory";
        var os = FirstValue("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription;
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory}, {os}, {RuntimeInformation.FrameworkDescription}";
    }

    private static string? FirstValue(string path, string key, char separator = ':')
    {
        try
        {
            return File.ReadLines(path).Select(l => l.Split(separator, 2))
                .FirstOrDefault(p => p.Length == 2 && p[0].Trim() == key)?[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
