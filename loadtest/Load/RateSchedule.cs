namespace Fairlane.LoadTest.Load;

/// <summary>
/// How fast one tenant sends webhooks over a phase: events per second as a function of the seconds
/// since the phase began. Schedules are pure values, so the open-loop sender and the unit tests
/// agree on what was offered.
/// </summary>
internal abstract record RateSchedule
{
    /// <summary>Events per second at <paramref name="seconds"/> into the phase.</summary>
    public abstract double RateAt(double seconds);

    /// <summary>Events a schedule offers between two instants (midpoint sums over 10 ms steps; exact for the shapes below).</summary>
    public double EventsBetween(double from, double to)
    {
        const double Step = 0.01;
        var total = 0d;
        for (var t = from; t < to; t += Step) total += RateAt(t + Math.Min(Step, to - t) / 2) * Math.Min(Step, to - t);
        return total;
    }

    /// <summary>The same rate throughout.</summary>
    public sealed record Constant(double Rate) : RateSchedule
    {
        public override double RateAt(double seconds) => Rate;
    }

    /// <summary>A straight line from <paramref name="From"/> to <paramref name="To"/> over <paramref name="Seconds"/>, then <paramref name="To"/>.</summary>
    public sealed record Ramp(double From, double To, double Seconds) : RateSchedule
    {
        public override double RateAt(double seconds) => seconds >= Seconds ? To : From + (To - From) * Math.Max(0, seconds) / Seconds;
    }

    /// <summary>Piecewise constant: each step's rate holds until its end time; after the last step, the last rate.</summary>
    public sealed record Steps(IReadOnlyList<(double Until, double Rate)> Pieces) : RateSchedule
    {
        public override double RateAt(double seconds)
        {
            foreach (var (until, rate) in Pieces)
            {
                if (seconds < until) return rate;
            }
            return Pieces.Count == 0 ? 0 : Pieces[^1].Rate;
        }
    }

    /// <summary>Silent until <paramref name="Start"/> seconds, then <paramref name="Inner"/> (a tenant that joins later).</summary>
    public sealed record JoinsAt(double Start, RateSchedule Inner) : RateSchedule
    {
        public override double RateAt(double seconds) => seconds < Start ? 0 : Inner.RateAt(seconds);
    }

    /// <summary><paramref name="Inner"/> scaled by a factor (a tenant's share of a fleet-wide shape).</summary>
    public sealed record Scaled(double Factor, RateSchedule Inner) : RateSchedule
    {
        public override double RateAt(double seconds) => Factor * Inner.RateAt(seconds);
    }
}
