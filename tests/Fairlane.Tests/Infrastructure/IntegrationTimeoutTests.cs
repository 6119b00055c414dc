using System.Reflection;
using System.Reflection.Emit;

namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// Every test of an integration class carries a timeout, so a hung server, broker or process fails one test
/// instead of stalling the run. A class is an integration class when its code (its methods, async state
/// machines, lambdas and nested types) or its class fixture touches the test servers, the stack builder,
/// a database, Redis, Kafka or a worker process. xunit 2 enforces a timeout on async tests only.
/// </summary>
public sealed class IntegrationTimeoutTests
{
    private static readonly Type[] ServerTypes =
    [
        typeof(StackBuilder), typeof(TestStack), typeof(TestDatabase), typeof(TestServers), typeof(PrivateRedis),
        typeof(WorkerProcess), typeof(InProcessWorker), typeof(DevKafka.MockCluster),
        typeof(StackExchange.Redis.ConnectionMultiplexer), typeof(Npgsql.NpgsqlConnection), typeof(Npgsql.NpgsqlDataSource),
    ];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void Every_test_of_an_integration_class_has_a_timeout_and_is_async()
    {
        var classes = typeof(IntegrationTimeoutTests).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsNested: false } && t != typeof(IntegrationTimeoutTests) && TestMethods(t).Any())
            .ToList();
        var integration = classes.Where(IsIntegration).ToList();

        var missing = integration
            .SelectMany(c => TestMethods(c).Where(m => !HasAsyncTimeout(m)).Select(m => $"{c.Name}.{m.Name}"))
            .ToList();

        Assert.Contains(typeof(Worker.Tenants.TenantPropagationTests), integration); // the detection itself works
        Assert.Contains(typeof(Deploy.LiveWorkerTests), integration); // through its class fixture
        Assert.DoesNotContain(typeof(Partitioning.FairSchedulerTests), integration);
        Assert.DoesNotContain(typeof(Deploy.PartitionSeriesTests), integration); // a unique name is not a server
        Assert.True(missing.Count == 0, $"Tests of integration classes without a timeout (or not async, so xunit 2 would not enforce it):\n{string.Join("\n", missing)}");
    }

    private static IEnumerable<MethodInfo> TestMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null);

    private static bool HasAsyncTimeout(MethodInfo method) =>
        method.GetCustomAttribute<FactAttribute>()!.Timeout > 0 && typeof(Task).IsAssignableFrom(method.ReturnType);

    private static bool IsIntegration(Type type) =>
        References(type) || type.GetInterfaces().Any(i =>
            i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>) && References(i.GetGenericArguments()[0]));

    /// <summary>Whether any method body of the type or its nested types names a member or type of the servers.</summary>
    private static bool References(Type type) =>
        WithNested(type).Any(t => t
            .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Cast<MethodBase>()
            .Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static))
            .Any(NamesServerMember));

    private static IEnumerable<Type> WithNested(Type type) =>
        new[] { type }.Concat(type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(WithNested));

    private static bool NamesServerMember(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) return false;
        var typeArgs = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var op = OpCodesByValue[value];
            i += op.Size;
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, i);
                if (IsServer(Resolve(method.Module, token, typeArgs, methodArgs))) return true;
            }
            i += OperandSize(op, il, i);
        }
        return false;
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArgs, Type[]? methodArgs)
    {
        try
        {
            return module.ResolveMember(token, typeArgs, methodArgs);
        }
        catch (ArgumentException)
        {
            return null; // a member of an open generic context we cannot close; not one of ours
        }
    }

    private static bool IsServer(MemberInfo? member) => member switch
    {
        null => false,
        // TestServers also makes unique names, which tests of metrics or names use without any server.
        MethodInfo { Name: nameof(TestServers.UniqueName) } m when m.DeclaringType == typeof(TestServers) => false,
        Type t => ServerTypes.Contains(t) || (t.IsGenericType && t.GetGenericArguments().Any(a => IsServer(a))),
        MethodInfo m => IsServer(m.DeclaringType) || IsServer(m.ReturnType),
        _ => IsServer(member.DeclaringType),
    };

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
