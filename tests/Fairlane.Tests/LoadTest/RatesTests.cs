using Fairlane.LoadTest.Load;

namespace Fairlane.Tests.LoadTest;

public sealed class RatesTests
{
    [Fact]
    public void Zipf_rates_sum_to_the_total_and_fall_as_one_over_rank_to_the_s()
    {
        var rates = ZipfRates.Of(1_000, 100, 1.0);
        Assert.Equal(100, rates.Sum(), 9);
        Assert.Equal(2.0, rates[0] / rates[1], 9);
        Assert.Equal(10.0, rates[0] / rates[9], 9);
        Assert.True(rates.Zip(rates.Skip(1)).All(p => p.First >= p.Second));

        var steeper = ZipfRates.Of(10, 10, 2.0);
        Assert.Equal(4.0, steeper[0] / steeper[1], 9);
        Assert.All(ZipfRates.Of(4, 8, 0), r => Assert.Equal(2.0, r, 9));
    }

    [Fact]
    public void Schedules_give_the_rate_of_their_shape()
    {
        Assert.Equal(3, new RateSchedule.Constant(3).RateAt(100));
        var ramp = new RateSchedule.Ramp(10, 110, 10);
        Assert.Equal(10, ramp.RateAt(0));
        Assert.Equal(60, ramp.RateAt(5));
        Assert.Equal(110, ramp.RateAt(25));
        var steps = new RateSchedule.Steps([(10, 1), (20, 5)]);
        Assert.Equal(1, steps.RateAt(9.99));
        Assert.Equal(5, steps.RateAt(10));
        Assert.Equal(5, steps.RateAt(30));
        var late = new RateSchedule.JoinsAt(5, new RateSchedule.Scaled(2, new RateSchedule.Constant(3)));
        Assert.Equal(0, late.RateAt(4.9));
        Assert.Equal(6, late.RateAt(5));
    }

    [Fact]
    public void Events_offered_are_the_area_under_the_schedule()
    {
        Assert.Equal(600, new RateSchedule.Ramp(10, 110, 10).EventsBetween(0, 10), 6);
        Assert.Equal(15, new RateSchedule.JoinsAt(5, new RateSchedule.Constant(1)).EventsBetween(0, 20), 6);
    }

    [Fact]
    public void A_pacer_releases_whole_events_at_the_scheduled_rate_whatever_the_ticks()
    {
        var pacer = new TenantPacer(new RateSchedule.Constant(10));
        var released = 0;
        for (var t = 0.01; t <= 10.0001; t += 0.01) released += pacer.Due(t);
        Assert.Equal(100, released);

        // A late tick releases what fell due meanwhile: the sender never slows down (open loop).
        var late = new TenantPacer(new RateSchedule.Constant(10));
        Assert.Equal(0, late.Due(0.05));
        Assert.Equal(30, late.Due(3.0)); // 3 s × 10/s, all at once
    }

    [Fact]
    public void A_pacer_follows_a_ramp_and_its_initial_credit_shifts_the_first_event()
    {
        var pacer = new TenantPacer(new RateSchedule.Ramp(0, 20, 10));
        var released = 0;
        for (var t = 0.01; t <= 10.0001; t += 0.01) released += pacer.Due(t);
        Assert.InRange(released, 99, 100);

        var early = new TenantPacer(new RateSchedule.Constant(1), initialCredit: 0.9);
        Assert.Equal(1, early.Due(0.2));
    }
}
