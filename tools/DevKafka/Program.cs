using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Fairlane.DevKafka;

/// <summary>
/// <c>fairlane-devkafka</c>: runs an in-memory Kafka cluster for development and tests until
/// SIGINT or SIGTERM. Exit codes: 0 after a signal, 1 if the cluster cannot start, 2 for bad arguments.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        DevKafkaOptions options;
        try
        {
            options = DevKafkaOptions.Parse(args);
        }
        catch (FormatException e)
        {
            Log($"{e.Message}; see --help");
            return 2;
        }
        if (options.Help)
        {
            Console.Out.WriteLine(DevKafkaOptions.Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        // Cancel the default termination so the cluster is torn down and the exit code is 0.
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        MockCluster cluster;
        try
        {
            cluster = MockCluster.Start(options.Brokers, options.RebalanceDelayMs);
        }
        catch (Exception e) when (e is MockClusterException or DllNotFoundException)
        {
            Log(e.Message);
            return 1;
        }

        using (cluster)
        {
            try
            {
                foreach (var (name, partitions) in options.Topics) cluster.CreateTopic(name, partitions, options.ReplicationFactor);
            }
            catch (Exception e) when (e is MockClusterException or ArgumentException)
            {
                Log(e.Message);
                return 1;
            }
            Log($"{cluster.Brokers} brokers, {options.Topics.Count} topics " +
                $"(replication factor {options.ReplicationFactor ?? cluster.DefaultReplicationFactor}): " +
                string.Join(", ", options.Topics.Select(t => $"{t.Name}:{t.Partitions}")));

            ControlServer? control = null;
            if (options.ControlPort > 0)
            {
                try
                {
                    control = ControlServer.Start(cluster, options.ControlPort, Log);
                }
                catch (SocketException e)
                {
                    Log($"--control-port {options.ControlPort}: {e.Message}");
                    return 1;
                }
                Log($"control API on http://127.0.0.1:{options.ControlPort}/");
            }

            await using (control)
            {
                if (options.BootstrapFile is { } file && !TryWriteBootstrapFile(file, cluster.BootstrapServers))
                {
                    return 1;
                }
                Console.Out.WriteLine($"bootstrap={cluster.BootstrapServers}");
                Console.Out.Flush();

                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    Log("stopping");
                }
            }

            if (options.BootstrapFile is { } written) RemoveBootstrapFile(written, cluster.BootstrapServers);
        }
        Log("stopped");
        return 0;
    }

    // Temp file in the same directory, then rename(2): a script polling for the file sees
    // nothing or all of it, never a half-written line.
    private static bool TryWriteBootstrapFile(string path, string bootstrap)
    {
        string? temp = null;
        try
        {
            var full = Path.GetFullPath(path);
            var directory = Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(directory);
            temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
            File.WriteAllText(temp, bootstrap);
            File.Move(temp, full, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Log($"--bootstrap-file {path}: {e.Message}");
            if (temp is not null) File.Delete(temp);
            return false;
        }
    }

    // A file left behind would point the next reader at ports nobody listens on. Another
    // instance may have replaced it meanwhile; that one's file is left alone.
    private static void RemoveBootstrapFile(string path, string bootstrap)
    {
        try
        {
            if (File.Exists(path) && File.ReadAllText(path) == bootstrap) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log($"could not remove {path}: {e.Message}");
        }
    }

    private static void Log(string message) => Console.Error.WriteLine($"fairlane-devkafka: {message}");
}
