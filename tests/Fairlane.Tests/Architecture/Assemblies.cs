using System.Reflection;

namespace Fairlane.Tests.Architecture;

/// <summary>The product's assemblies as built next to the tests.</summary>
internal static class Assemblies
{
    public const string Contracts = "Fairlane.Contracts";
    public const string Partitioning = "Fairlane.Partitioning";
    public const string Producing = "Fairlane.Producing";
    public const string Agents = "Fairlane.Agents";
    public const string Worker = "fairlane";

    public static readonly string[] All = [Contracts, Partitioning, Producing, Agents, Worker];

    public static string PathOf(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, name + ".dll");

    public static Assembly Load(string name) => Assembly.LoadFrom(PathOf(name));
}
