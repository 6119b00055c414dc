namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// Tests that load the whole machine (a million events, heap measurements) run in this collection:
/// after the parallel ones and alone, so neither they nor their neighbours measure each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoloCollection
{
    public const string Name = "solo";
}
