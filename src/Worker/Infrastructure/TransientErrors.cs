using Npgsql;

namespace Fairlane.Worker.Infrastructure;

/// <summary>Which failures are worth trying again: they say nothing about the work, only about the moment.</summary>
internal static class TransientErrors
{
    public static bool IsTransient(Exception ex) =>
        ex is NpgsqlException { IsTransient: true } or TimeoutException or HttpRequestException;
}
