using Fairlane.LoadTest.Load;
using Fairlane.Partitioning.Placement;

namespace Fairlane.LoadTest.Scenarios;

/// <summary>
/// One tenant sends 100× what each of the 20 quiet ones sends, more than the fleet can process. The
/// run has two phases on the same fleet: the quiet tenants alone (the "without" figure), then with
/// the noisy tenant (the "with" figure). The noisy tenant may use every worker slot of a node
/// (concurrency = Engine:Workers) and each event is its own slow transaction (the handler delay,
/// Engine:MaxBatchSize 1), so nothing but the scheduler stands between it and the quiet tenants.
/// Two quiet tenants are picked to share the noisy tenant's partition, as about 1 in 24 tenants of
/// a real fleet would: that is where a partition-sequential consumer makes quiet tenants wait.
/// </summary>
internal sealed class NoisyScenario : Scenario
{
    public const string Noisy = "noisy";
    public const string Quiet = "quiet";
    public const string QuietSharing = "quiet-sharing";
    private const int QuietSharingCount = 2;

    public override string Name => "noisy";
    public override string Summary => "1 tenant at 100× the 20 quiet ones (it may use every worker slot), beyond capacity; quiet p99 with and without it";

    // 20 quiet tenants at 1/s and one at 100/s: 120/s offered.
    public override ScenarioSettings Defaults => Common with
    {
        Tenants = 21, Rate = 120, EngineWorkers = 4, HandlerDelayMs = 20, MaxBatch = 1, Baseline = true,
    };

    public override IReadOnlyList<string> LatencyTargetClasses => [Quiet, QuietSharing];
    public override string? TargetPhase => "with-noisy";

    public override LoadPlan Plan(ScenarioSettings s)
    {
        var quietCount = Math.Max(1, s.Tenants - 1);
        var quietRate = s.Rate / (quietCount + s.NoisyFactor);
        var noisy = new TenantSetup("noisy-001", Noisy, Concurrency: s.HotConcurrency ?? s.EngineWorkers);
        var quiet = QuietTenants(quietCount, TenantPlacement.PartitionFor(noisy.Tenant, s.Partitions), s.Partitions);

        var quietLoad = quiet.Select((t, i) => new TenantLoad(t.Tenant, new RateSchedule.Constant(quietRate), Stagger(i, s.Seed))).ToList();
        var seconds = s.Duration.TotalSeconds;
        return new LoadPlan([noisy, .. quiet],
        [
            new LoadPhase("quiet-only", seconds / 2, quietLoad),
            new LoadPhase("with-noisy", seconds, [.. quietLoad, new TenantLoad(noisy.Tenant, new RateSchedule.Constant(quietRate * s.NoisyFactor))]),
        ], s.Products);
    }

    // Quiet tenants named in order, except that the first ones found on the noisy tenant's partition
    // are kept as the sharing ones (up to two) and the others skip that partition.
    private static List<TenantSetup> QuietTenants(int count, int noisyPartition, int partitions)
    {
        var sharing = new List<TenantSetup>();
        var others = new List<TenantSetup>();
        for (var i = 1; sharing.Count + others.Count < count; i++)
        {
            var id = $"quiet-{i:000}";
            var onNoisyPartition = TenantPlacement.PartitionFor(id, partitions) == noisyPartition;
            if (onNoisyPartition && sharing.Count < Math.Min(QuietSharingCount, count)) sharing.Add(new TenantSetup(id, QuietSharing));
            else if (!onNoisyPartition && others.Count < count - Math.Min(QuietSharingCount, count)) others.Add(new TenantSetup(id, Quiet));
        }
        return [.. sharing, .. others];
    }
}
