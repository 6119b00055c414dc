using System.Globalization;
using System.Text;
using Fairlane.LoadTest.Measurement;

namespace Fairlane.LoadTest.Reporting;

/// <summary>Per-tenant latency percentiles of every system and phase, as CSV (a thousand tenants do not fit a Markdown table).</summary>
internal static class TenantTable
{
    public static void WriteCsv(string path, IReadOnlyList<SystemResult> systems, Func<string, string> classOf)
    {
        var csv = new StringBuilder("system,phase,tenant,class,events,p50_ms,p95_ms,p99_ms,max_ms\n");
        foreach (var system in systems)
        {
            foreach (var phase in system.Phases)
            {
                foreach (var (tenant, l) in phase.ByTenant().OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    csv.AppendLine(CultureInfo.InvariantCulture,
                        $"{system.System},{phase.Phase},{tenant},{classOf(tenant)},{l.Count},{l.P50:0.#},{l.P95:0.#},{l.P99:0.#},{l.Max:0.#}");
                }
            }
        }
        File.WriteAllText(path, csv.ToString());
    }
}
