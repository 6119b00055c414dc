using System.Runtime.CompilerServices;
using Fairlane.Producing;

namespace Fairlane.Tests.Infrastructure;

internal static class NativeLibrarySetup
{
    // Tests create Kafka clients directly too; load the librdkafka build that runs here before any of them.
    [ModuleInitializer]
    internal static void LoadLibrdkafka() => KafkaNativeLibrary.EnsureLoaded();
}
