using System.Text.Json.Serialization;

namespace Fairlane.Agents.Channels;

/// <summary>Source-generated JSON for the vendors' wire formats and the stored credentials (names are explicit per property).</summary>
[JsonSerializable(typeof(EposNowStock[]))]
[JsonSerializable(typeof(EposNowUpdateResult[]))]
[JsonSerializable(typeof(WixQueryRequest))]
[JsonSerializable(typeof(WixQueryResponse))]
[JsonSerializable(typeof(WixUpdateRequest))]
[JsonSerializable(typeof(WixUpdateResponse))]
[JsonSerializable(typeof(DeliverooSiteStock))]
[JsonSerializable(typeof(DeliverooStockUpdate))]
[JsonSerializable(typeof(DeliverooStockUpdateResult))]
[JsonSerializable(typeof(StoredCredentials))]
internal sealed partial class ChannelJson : JsonSerializerContext;
