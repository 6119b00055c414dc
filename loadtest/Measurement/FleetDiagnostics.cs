using Fairlane.LoadTest.Stack;

namespace Fairlane.LoadTest.Measurement;

/// <summary>What one agent's processing cost across the fleet, from the workers' own histograms.</summary>
internal sealed record AgentCost(string Agent, double Transactions, double MeanMs, double BatchedTransactions, double MeanBatch);

/// <summary>
/// Reads the fleet's processing histograms at the end of a run, to explain the ledger's figures:
/// how long a processing transaction took per agent and how many events rode in a batch.
/// </summary>
internal static class FleetDiagnostics
{
    private static readonly string[] Agents = ["watcher", "sync", "guardian", "alert"];

    public static async Task<List<AgentCost>> ReadAsync(WorkerFleet fleet, CancellationToken cancellationToken)
    {
        var costs = new List<AgentCost>();
        foreach (var agent in Agents)
        {
            double count = 0, seconds = 0, batches = 0, batchEvents = 0;
            foreach (var w in fleet.Workers)
            {
                count += await w.Metrics.ReadAsync($"fairlane_processing_duration_seconds_count{{agent=\"{agent}\"}}", cancellationToken) ?? 0;
                seconds += await w.Metrics.ReadAsync($"fairlane_processing_duration_seconds_sum{{agent=\"{agent}\"}}", cancellationToken) ?? 0;
                batches += await w.Metrics.ReadAsync($"fairlane_batch_events_count{{agent=\"{agent}\"}}", cancellationToken) ?? 0;
                batchEvents += await w.Metrics.ReadAsync($"fairlane_batch_events_sum{{agent=\"{agent}\"}}", cancellationToken) ?? 0;
            }
            if (count > 0) costs.Add(new AgentCost(agent, count, seconds * 1000 / count, batches, batches > 0 ? batchEvents / batches : 0));
        }
        return costs;
    }
}
