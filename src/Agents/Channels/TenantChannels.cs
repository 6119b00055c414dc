using Fairlane.Agents.Alerting;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Outbox;
using Fairlane.Agents.Storage;
using Fairlane.Contracts.Events;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fairlane.Agents.Channels;

/// <summary>
/// Loads a tenant's channels for Sync and Guardian, and keeps their misconfigured status true to
/// what is stored: a channel whose base URL or credentials cannot be used becomes misconfigured
/// (and is skipped, since only active channels are called), and one that has been fixed becomes
/// active again on the first load that sees it. Each change asks for a channel_status check, which
/// opens or resolves the channel's one alert. There is no path that edits a channel inside the
/// daemon, so re-checking on every load is how a fix is noticed; it costs no call.
/// </summary>
public static partial class TenantChannels
{
    /// <param name="causeId">The id of the event being handled; the alert checks' ids derive from it, so a replay asks once.</param>
    public static async Task<Dictionary<string, ChannelConnection>> LoadAsync(ChannelStore store, HandlerContext context, string causeId,
        ILogger logger, CancellationToken cancellationToken) =>
        await SettleAsync(await store.ReadAllAsync(context.Connection, context.Transaction, context.TenantId, cancellationToken), context, causeId,
            logger, cancellationToken);

    /// <summary>
    /// The channels <paramref name="read"/> (<see cref="ChannelStore.ReadAllAsync(NpgsqlDataReader, CancellationToken)"/>) by id, each
    /// with its effective status, which is stored, with its check, where it changed. Before its first
    /// change it binds the transaction to the context's tenant: the caller may have read the channels in
    /// a batch over several tenants, bound to another one by now.
    /// </summary>
    public static async Task<Dictionary<string, ChannelConnection>> SettleAsync(IReadOnlyList<ChannelConnection> read, HandlerContext context,
        string causeId, ILogger logger, CancellationToken cancellationToken)
    {
        var loaded = new Dictionary<string, ChannelConnection>(StringComparer.Ordinal);
        var bound = false;
        foreach (var channel in read)
        {
            var effective = ChannelConfiguration.EffectiveStatus(channel.Status, channel.Problem is not null);
            if (effective != channel.Status && !bound)
            {
                await TenantDatabase.BindTenantAsync(context.Connection, context.Transaction, context.TenantId, cancellationToken);
                bound = true;
            }
            // Only the load that makes the change (the update is conditional on the old status) asks for the check.
            if (effective != channel.Status && await ChannelStore.ChangeStatusAsync(context.Connection, context.Transaction, context.TenantId,
                    channel.ChannelId, channel.Status, effective, cancellationToken))
            {
                if (effective == ChannelStatus.Misconfigured) LogMisconfigured(logger, context.TenantId, channel.ChannelId, channel.Type, channel.Problem!);
                else LogFixed(logger, context.TenantId, channel.ChannelId, channel.Type);
                await OutboxWriter.AddAsync(context, EventCatalog.AlertCheck,
                    new AlertCheck { Check = AlertKinds.ChannelStatus, ChannelId = channel.ChannelId }, $"{causeId}.channel-status.{channel.ChannelId}",
                    cancellationToken);
            }
            loaded[channel.ChannelId] = channel with { Status = effective };
        }
        return loaded;
    }

    // The problem text names the channel and the setting to fix, never a credential or the URL itself.
    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Tenant}/{Channel} ({ChannelType}) is misconfigured and is skipped until it is fixed: {Problem}")]
    private static partial void LogMisconfigured(ILogger logger, string tenant, string channel, string channelType, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {Tenant}/{Channel} ({ChannelType}) is configured correctly again; it is active")]
    private static partial void LogFixed(ILogger logger, string tenant, string channel, string channelType);
}
