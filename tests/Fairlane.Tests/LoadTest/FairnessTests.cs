using Fairlane.LoadTest.Measurement;

namespace Fairlane.Tests.LoadTest;

public sealed class FairnessTests
{
    [Fact]
    public void Jain_index_is_one_for_equal_shares_and_one_over_n_when_one_tenant_gets_everything()
    {
        Assert.Equal(1.0, JainIndex.Of([5.0, 5.0, 5.0, 5.0]), 9);
        Assert.Equal(0.25, JainIndex.Of([8.0, 0, 0, 0]), 9);
        // (1 + 3)² / (2 × (1 + 9)) = 16 / 20
        Assert.Equal(0.8, JainIndex.Of([1.0, 3.0]), 9);
    }

    [Fact]
    public void Jain_index_is_undefined_for_fewer_than_two_shares_or_none_served()
    {
        Assert.True(double.IsNaN(JainIndex.Of([3.0])));
        Assert.True(double.IsNaN(JainIndex.Of([0.0, 0.0])));
    }

    [Fact]
    public void Backlogged_tenants_served_alike_are_perfectly_fair()
    {
        // Both send 20 at once and get 5 a second for 4 seconds.
        var result = BackloggedShares.Compute(
        [
            new TenantSeries("a", [20, 0, 0, 0, 0], [0, 5, 5, 5, 5]),
            new TenantSeries("b", [20, 0, 0, 0, 0], [0, 5, 5, 5, 5]),
        ]);
        Assert.Equal(2, result.Tenants);
        Assert.Equal(1.0, result.Jain, 9);
        Assert.Equal(5.0, result.RatesWhileBacklogged["a"], 9);
    }

    [Fact]
    public void A_tenant_served_in_proportion_to_what_it_sends_is_not_fair_to_a_backlogged_small_one()
    {
        // First come, first served behind a flood: the big tenant gets 9 of every 10 slots.
        var result = BackloggedShares.Compute(
        [
            new TenantSeries("big", [100, 0, 0, 0, 0, 0], [0, 9, 9, 9, 9, 9]),
            new TenantSeries("small", [10, 0, 0, 0, 0, 0], [0, 1, 1, 1, 1, 1]),
        ]);
        Assert.Equal(2, result.Tenants);
        Assert.InRange(result.Jain, 0.6, 0.65); // (9 + 1)² / (2 × 82)
    }

    [Fact]
    public void A_tenant_whose_queue_empties_within_each_second_is_not_backlogged()
    {
        var result = BackloggedShares.Compute(
        [
            new TenantSeries("quiet", [1, 1, 1, 1, 1, 1], [0, 1, 1, 1, 1, 1]),
            new TenantSeries("noisy", [100, 100, 100, 100, 100, 0], [0, 40, 40, 40, 40, 40]),
        ]);
        Assert.Equal(["noisy"], result.RatesWhileBacklogged.Keys);
        Assert.True(double.IsNaN(result.Jain));
    }
}
