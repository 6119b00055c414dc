using Fairlane.LoadTest.Chaos;
using Fairlane.LoadTest.Scenarios;

namespace Fairlane.Tests.LoadTest;

public sealed class ChaosScheduleTests
{
    [Fact]
    public void Three_minutes_hold_every_fault_with_three_different_workers_killed()
    {
        var steps = FaultSchedule.For(TimeSpan.FromMinutes(3), workers: 3, brokers: 3, redisNodes: 3);
        Assert.All(steps, s => Assert.InRange(s.AtSeconds, 1, 180));
        Assert.Equal([0, 1, 2], steps.Where(s => s.Kind == FaultKind.KillWorker).Select(s => s.Target).Order());
        var down = Assert.Single(steps, s => s.Kind == FaultKind.BrokerDown);
        var up = Assert.Single(steps, s => s.Kind == FaultKind.BrokerUp);
        Assert.Equal((down.Target, 10.0), (up.Target, up.AtSeconds - down.AtSeconds));
        Assert.Single(steps, s => s.Kind == FaultKind.RestartPostgres);
        var pause = Assert.Single(steps, s => s.Kind == FaultKind.PauseTenants);
        Assert.True(steps.Single(s => s.Kind == FaultKind.ResumeTenants).AtSeconds > pause.AtSeconds);
        Assert.Equal(steps.OrderBy(s => s.AtSeconds), steps);
    }

    [Fact]
    public void Chaos_defaults_are_at_least_three_workers_fifty_tenants_and_three_minutes_of_steady_load()
    {
        var scenario = new ChaosScenario();
        var s = scenario.Defaults;
        Assert.True(s.Workers >= 3 && s.Tenants >= 50 && s.Duration >= TimeSpan.FromMinutes(3));
        var phase = Assert.Single(scenario.Plan(s).Phases);
        Assert.Equal(s.Tenants, phase.Load.Count);
        Assert.Equal(s.Rate * s.Duration.TotalSeconds, phase.OfferedEvents, 6);
    }

    [Fact]
    public void No_worker_is_restarted_while_a_Redis_node_is_down()
    {
        var steps = FaultSchedule.For(TimeSpan.FromSeconds(60), workers: 3, brokers: 3, redisNodes: 3);
        var (from, to) = (steps.Single(s => s.Kind == FaultKind.RedisDown).AtSeconds, steps.Single(s => s.Kind == FaultKind.RedisUp).AtSeconds);
        Assert.DoesNotContain(steps, s => s.Kind == FaultKind.KillWorker && s.AtSeconds + FaultInjector.WorkerDownFor.TotalSeconds >= from && s.AtSeconds <= to);
    }

    [Fact]
    public void Fewer_than_three_workers_or_a_short_run_is_refused()
    {
        Assert.Throws<ArgumentException>(() => FaultSchedule.For(TimeSpan.FromMinutes(3), workers: 2, brokers: 3, redisNodes: 3));
        Assert.Throws<ArgumentException>(() => FaultSchedule.For(TimeSpan.FromSeconds(30), workers: 3, brokers: 3, redisNodes: 3));
    }
}
