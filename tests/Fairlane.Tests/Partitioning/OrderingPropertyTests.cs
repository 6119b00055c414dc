using Fairlane.Partitioning.Engine;
using Fairlane.Partitioning.Scheduling;
using FsCheck.Xunit;

namespace Fairlane.Tests.Partitioning;

/// <summary>
/// The engine core driven by random streams: events of random tenants and items arriving while a random
/// number of workers take runs, finish them in random order, retry single events and isolate failed
/// runs. Whatever the concurrency, an item's events never run at once and start in offset order; a
/// tenant ordered by tenant runs one event at a time, in offset order.
/// </summary>
public sealed class OrderingPropertyTests
{
    /// <summary>Concurrency 1..16 or automatic, and settings changed midway (item or tenant ordering, drawn each time).</summary>
    [Property(MaxTest = 60)]
    public bool An_items_events_never_overlap_and_start_in_offset_order(int seed)
    {
        var random = new Random(seed);
        var sim = new Simulation(random, random.Next(1, 4), ordering: _ => random.Next(3) == 0 ? OrderingScope.Tenant : OrderingScope.Item);
        return sim.Run(key: Item, changeSettingsMidway: true);
    }

    [Property(MaxTest = 60)]
    public bool A_tenant_ordered_tenant_runs_one_event_at_a_time_in_offset_order(int seed)
    {
        var random = new Random(seed);
        var sim = new Simulation(random, random.Next(1, 4), ordering: _ => OrderingScope.Tenant);
        return sim.Run(key: (tenant, _) => tenant, changeSettingsMidway: false);
    }

    /// <summary>Tenants of both kinds side by side (t0 and t2 ordered by tenant): each keeps its own guarantee.</summary>
    [Property(MaxTest = 40)]
    public bool Item_and_tenant_ordered_tenants_side_by_side_each_keep_their_order(int seed)
    {
        var random = new Random(seed);
        var sim = new Simulation(random, 4, ordering: t => t % 2 == 0 ? OrderingScope.Tenant : OrderingScope.Item);
        return sim.Run(key: (tenant, item) => tenant is "t0" or "t2" ? tenant : Item(tenant, item), changeSettingsMidway: false);
    }

    private static string Item(string tenant, int item) => $"{tenant}/item{item}";

    private sealed class Simulation(Random random, int tenants, Func<int, OrderingScope> ordering)
    {
        private readonly EngineRig _rig = new(queueDepth: 1_000_000);
        private readonly int _workers = random.Next(1, 17);
        private readonly int _maxBatch = random.Next(1, 5);
        private readonly Dictionary<string, SortedSet<long>> _unfinished = new(StringComparer.Ordinal); // guarded key → offsets not yet done
        private readonly Dictionary<string, int> _running = new(StringComparer.Ordinal); // guarded key → runs holding it
        private readonly List<Running> _runs = [];
        private long _offset;

        private sealed record Running(List<WorkItem<TestEvent>> Items, List<string> Keys, TimeSpan Until);

        /// <param name="key">The key whose order is checked for an event of a tenant and item.</param>
        public bool Run(Func<string, int, string> key, bool changeSettingsMidway)
        {
            Apply();
            var keyOf = new Dictionary<long, string>();
            var admitted = 0;
            for (var step = 0; step < 1_500 || _runs.Count > 0 || _rig.Core.Buffered > 0; step++)
            {
                if (step == 700 && changeSettingsMidway) Apply();
                if (step < 1_500)
                {
                    for (var n = random.Next(3); n > 0; n--)
                    {
                        var t = random.Next(tenants);
                        var tenant = $"t{t}";
                        var item = random.Next(4);
                        var guarded = key(tenant, item);
                        var offset = _offset++;
                        keyOf[offset] = guarded;
                        Unfinished(guarded).Add(offset);
                        if (_rig.Core.Admit(_rig.Consume(tenant, offset), Item(tenant, item)) is not null) return false;
                        admitted++;
                    }
                }
                if (!StartRuns(keyOf)) return false;
                _rig.Clock.Advance(TimeSpan.FromMilliseconds(1));
                FinishSome(keyOf);
                if (step > 100_000) return false; // stuck: something was never run
            }
            return admitted > 0 && _unfinished.Values.All(s => s.Count == 0);
        }

        private void Apply() => _rig.Core.ApplyTenants(Enumerable.Range(0, tenants).Select(t => new TenantSettings(
            $"t{t}", false, random.Next(1, 4), random.Next(3) == 0 ? null : random.Next(1, 17), null, null, ordering(t))).ToList());

        private SortedSet<long> Unfinished(string key) => _unfinished.TryGetValue(key, out var s) ? s : _unfinished[key] = [];

        // Workers take runs while any is free. Each event of a run must be its key's oldest unfinished event
        // (the run's own earlier events count as done: they run first, in the same transaction), and no
        // other run may hold its key.
        private bool StartRuns(Dictionary<long, string> keyOf)
        {
            var batch = new List<WorkItem<TestEvent>>();
            while (_runs.Count < _workers && _rig.Core.TryTakeBatch(_maxBatch, batch))
            {
                var keys = new List<string>();
                foreach (var item in batch)
                {
                    var guarded = keyOf[item.Payload.Offset];
                    if (_running.GetValueOrDefault(guarded) > 0 && !keys.Contains(guarded)) return false;
                    var earlier = keys.Count(k => k == guarded);
                    if (Unfinished(guarded).Skip(earlier).First() != item.Payload.Offset) return false;
                    keys.Add(guarded);
                }
                foreach (var k in keys.Distinct()) _running[k] = _running.GetValueOrDefault(k) + 1;
                _runs.Add(new Running([.. batch], keys, _rig.Core.Now + TimeSpan.FromMilliseconds(random.Next(1, 6))));
            }
            return true;
        }

        // Runs due now end in random order: most finish, a run of one may be retried after a backoff,
        // a longer run may fail as a whole and be isolated.
        private void FinishSome(Dictionary<long, string> keyOf)
        {
            var due = _runs.Where(r => r.Until <= _rig.Core.Now).OrderBy(_ => random.Next()).ToList();
            foreach (var run in due)
            {
                _runs.Remove(run);
                foreach (var k in run.Keys.Distinct())
                {
                    if (_running[k] > 1) _running[k]--;
                    else _running.Remove(k);
                }
                var cost = TimeSpan.FromMilliseconds(random.Next(1, 4));
                switch (random.Next(8))
                {
                    case 0 when run.Items.Count == 1:
                        _rig.Core.Retry(run.Items[0], cost, TimeSpan.FromMilliseconds(random.Next(0, 8)));
                        break;
                    case 1 when run.Items.Count > 1:
                        _rig.Core.Isolate(run.Items, cost);
                        break;
                    default:
                        foreach (var item in run.Items)
                        {
                            _rig.Core.Finish(item, cost);
                            Unfinished(keyOf[item.Payload.Offset]).Remove(item.Payload.Offset);
                        }
                        break;
                }
            }
        }
    }
}
