using Fairlane.Partitioning.Engine;
using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;
using Fairlane.Partitioning.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace Fairlane.Tests.Partitioning;

/// <summary>An event as the engine core sees it, built by hand.</summary>
internal sealed record TestEvent(PartitionKey Partition, long Offset, string Tenant, Assignment? Assignment,
    bool FromPark = false, bool WaitsWhileHeld = true) : IEngineEvent;

/// <summary>
/// An engine core on a fake clock owning one partition whose park was read, with helpers that play the
/// consume thread, the workers and the park drainer, one step at a time.
/// </summary>
internal sealed class EngineRig
{
    public static readonly PartitionKey P = new("t.webhooks", 0);
    public static readonly HashSet<PartitionKey> JustP = [P];

    public EngineRig(int queueDepth = 10, int parkBatch = 100, int high = 1_000, int low = 500, long highBytes = 1L << 30,
        params (string Tenant, long HighestOffset)[] parked)
    {
        Core = new EngineCore<TestEvent>(new EngineSettings(TimeSpan.FromMilliseconds(10), queueDepth, parkBatch, high, low, highBytes, Workers: 8), Clock);
        Assignment = Core.Assign(P);
        Core.PartitionParkRead(Assignment, parked);
    }

    public FakeTimeProvider Clock { get; } = new();
    public EngineCore<TestEvent> Core { get; }
    public Assignment Assignment { get; }

    /// <summary>The consumer hands over the record at <paramref name="offset"/>.</summary>
    public TestEvent Consume(string tenant, long offset, long bytes = 10, bool waitsWhileHeld = true)
    {
        Assert.Equal(Assignment, Core.Track(P, offset, bytes, out _));
        return new TestEvent(P, offset, tenant, Assignment, WaitsWhileHeld: waitsWhileHeld);
    }

    public ParkReason? Admit(string tenant, long offset, long bytes = 10, bool waitsWhileHeld = true) =>
        Core.Admit(Consume(tenant, offset, bytes, waitsWhileHeld), tenant);

    /// <summary>What a worker would take now (empty when nothing may start).</summary>
    public List<WorkItem<TestEvent>> Take(int maxBatch = 1)
    {
        var batch = new List<WorkItem<TestEvent>>();
        return Core.TryTakeBatch(maxBatch, batch) ? batch : [];
    }

    /// <summary>Takes the next event alone and finishes it; returns its offset.</summary>
    public long RunOne()
    {
        var item = Assert.Single(Take());
        Core.Finish(item, TimeSpan.FromMilliseconds(1));
        return item.Payload.Offset;
    }

    /// <summary>The drainer read these parked offsets of the tenant back.</summary>
    public bool Load(DrainRequest request, int rows, params long[] offsets) =>
        Core.Loaded(request, Assignment, rows, offsets.Length > 0 ? offsets[^1] : -1,
            offsets.Select(o => (new TestEvent(P, o, request.Tenant, null, FromPark: true), request.Tenant)).ToList());

    public IReadOnlyList<TestEvent> Hold(string tenant, bool held = true) =>
        Core.ApplyTenants([new TenantSettings(tenant, held, 1, 1, null, null)]);

    public int Queued(string tenant) => Core.TenantState(tenant).Queued;

    public IReadOnlyList<(PartitionKey Partition, long Offset)> Commits() => Core.TakeCommits(P.Topic);
}
