using System.Globalization;

namespace Fairlane.LoadTest.Measurement;

/// <summary>Peak resident memory per process, sampled from /proc/&lt;pid&gt;/status (VmRSS) whenever asked.</summary>
internal sealed class PeakMemory
{
    private readonly Dictionary<string, long> _peakBytes = new(StringComparer.Ordinal);

    public void Sample(string name, int pid)
    {
        if (ResidentBytes(pid) is not { } bytes) return;
        lock (_peakBytes) _peakBytes[name] = Math.Max(bytes, _peakBytes.GetValueOrDefault(name));
    }

    public IReadOnlyDictionary<string, long> PeakBytes
    {
        get { lock (_peakBytes) return new Dictionary<string, long>(_peakBytes); }
    }

    /// <summary>VmRSS of the process, or null once it has gone (or off Linux).</summary>
    public static long? ResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
