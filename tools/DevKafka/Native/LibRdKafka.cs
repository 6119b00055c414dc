using System.Reflection;
using System.Runtime.InteropServices;
using Fairlane.Producing;

namespace Fairlane.DevKafka.Native;

/// <summary>
/// The slice of librdkafka's C API needed to host its built-in mock cluster (rdkafka_mock.h).
/// </summary>
/// <remarks>
/// Handles are raw pointers: <see cref="MockCluster"/> owns their lifetime. Functions that return
/// <c>const char*</c> return <see cref="nint"/> on purpose: a <c>string</c> return would make the
/// generated marshaller free memory that librdkafka owns.
/// </remarks>
internal static unsafe partial class LibRdKafka
{
    private const string Library = "librdkafka";

    /// <summary><c>RD_KAFKA_PRODUCER</c> from <c>rd_kafka_type_t</c>.</summary>
    public const int ProducerType = 0;

    /// <summary><c>RD_KAFKA_CONF_OK</c> from <c>rd_kafka_conf_res_t</c>.</summary>
    public const int ConfOk = 0;

    /// <summary><c>RD_KAFKA_RESP_ERR_NO_ERROR</c>.</summary>
    public const int NoError = 0;

    /// <summary><c>RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS</c>.</summary>
    public const int TopicAlreadyExists = 36;

    // Explicit static constructor (no beforefieldinit): it runs before the first call of any
    // method below, so the resolver is in place whichever caller touches librdkafka first.
    static LibRdKafka()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, Resolve);
    }

    // Confluent.Kafka loads the file KafkaNativeLibrary picks; mapping "librdkafka" to the same
    // path makes our calls land in that very copy (dlopen of one path yields one handle), so the
    // mock cluster and the clients share one library and its globals.
    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Library ? NativeLibrary.Load(KafkaNativeLibrary.Path) : 0;

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_new")]
    public static partial nint ConfNew();

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfDestroy(nint conf);

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(nint conf, string name, string value, byte* errstr, nuint errstrSize);

    /// <summary>Takes ownership of <paramref name="conf"/> on success only.</summary>
    [LibraryImport(Library, EntryPoint = "rd_kafka_new")]
    public static partial nint New(int type, nint conf, byte* errstr, nuint errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_destroy")]
    public static partial void Destroy(nint rk);

    [LibraryImport(Library, EntryPoint = "rd_kafka_err2str")]
    private static partial nint Err2Str(int err);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial nint MockClusterNew(nint rk, int brokerCount);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void MockClusterDestroy(nint mcluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    private static partial nint MockClusterBootstraps(nint mcluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockTopicCreate(nint mcluster, string topic, int partitionCount, int replicationFactor);

    /// <summary>Moves a partition's leadership; the mock keeps one log per partition, so no data moves.</summary>
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_partition_set_leader", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockPartitionSetLeader(nint mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static partial int MockBrokerSetDown(nint mcluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static partial int MockBrokerSetUp(nint mcluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    public static partial void MockGroupInitialRebalanceDelayMs(nint mcluster, int delayMs);

    /// <summary>Queues errors for the next requests of one API, whichever client sends them (rdkafka_mock.h).</summary>
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    public static partial void MockPushRequestErrorsArray(nint mcluster, short apiKey, nuint count, int* errors);

    public static string ErrorText(int err) => Marshal.PtrToStringUTF8(Err2Str(err)) ?? $"error {err}";

    public static string Bootstraps(nint mcluster) => Marshal.PtrToStringUTF8(MockClusterBootstraps(mcluster)) ?? "";
}
