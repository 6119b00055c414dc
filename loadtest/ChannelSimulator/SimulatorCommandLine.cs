using System.Globalization;

namespace Fairlane.ChannelSimulator;

/// <summary>The standalone simulator's flags; every one has a default so a bare run works.</summary>
internal sealed record SimulatorCommandLine(int Port, SimulatedFaults Faults, int? Seed)
{
    public const string Usage = """
        fairlane-channel-simulator — Epos Now, Wix and Deliveroo look-alikes on loopback HTTP

        Usage: fairlane-channel-simulator [--port N] [--latency-ms N] [--error-rate F] [--throttle-rate F]
                                          [--retry-after SECONDS] [--seed N]

        --port defaults to 5480 (0 picks a free port). Rates are fractions of calls, 0..1: error-rate
        answers 500, throttle-rate answers 429 with Retry-After. Accounts live under
        /{eposnow|wix|deliveroo}/{account}/... and are created on first use; /_sim/... changes
        faults, credentials and stock at run time and reports call counts (see README.md).
        """;

    public static SimulatorCommandLine Parse(string[] args)
    {
        var port = 5480;
        var faults = new SimulatedFaults();
        int? seed = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Whole(string name) => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
                ? v : throw new ArgumentException($"{name} takes a whole number, 0 or more.");
            double Fraction(string name) => double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 1
                ? v : throw new ArgumentException($"{name} takes a fraction between 0 and 1.");
            switch (args[i])
            {
                case "--port": port = Whole("--port"); break;
                case "--latency-ms": faults = faults with { LatencyMs = Whole("--latency-ms") }; break;
                case "--error-rate": faults = faults with { ErrorRate = Fraction("--error-rate") }; break;
                case "--throttle-rate": faults = faults with { ThrottleRate = Fraction("--throttle-rate") }; break;
                case "--retry-after": faults = faults with { RetryAfterSeconds = Whole("--retry-after") }; break;
                case "--seed": seed = Whole("--seed"); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (port > 65535) throw new ArgumentException("--port takes a TCP port, 0..65535.");
        return new SimulatorCommandLine(port, faults, seed);
    }
}
