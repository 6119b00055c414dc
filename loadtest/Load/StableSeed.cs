namespace Fairlane.LoadTest.Load;

/// <summary>
/// Seeds for the run's random choices that are the same in every process (string.GetHashCode and
/// HashCode.Combine are randomised per process), so one seed reproduces a run's load exactly.
/// </summary>
internal static class StableSeed
{
    public static int Of(params object[] parts)
    {
        var hash = 2166136261u; // FNV-1a
        foreach (var part in parts)
        {
            foreach (var c in Convert.ToString(part, System.Globalization.CultureInfo.InvariantCulture) ?? "") hash = (hash ^ c) * 16777619u;
            hash = (hash ^ '|') * 16777619u;
        }
        return (int)hash;
    }
}
