using System.Text.Json;
using System.Text.Json.Serialization;
using Fairlane.ChannelSimulator.Vendors;

namespace Fairlane.ChannelSimulator;

/// <summary>Source-generated JSON for every body the simulator reads or writes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SimulatorError))]
[JsonSerializable(typeof(SimulatedFaults))]
[JsonSerializable(typeof(AccountSummary))]
[JsonSerializable(typeof(AccountSummary[]))]
[JsonSerializable(typeof(CredentialBody))]
[JsonSerializable(typeof(ItemStock))]
[JsonSerializable(typeof(QuantityBody))]
[JsonSerializable(typeof(FailureScript))]
[JsonSerializable(typeof(SeedBody))]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<int, int>>))]
[JsonSerializable(typeof(EposNowStock))]
[JsonSerializable(typeof(EposNowStock[]))]
[JsonSerializable(typeof(EposNowUpdateResult[]))]
[JsonSerializable(typeof(WixQueryRequest))]
[JsonSerializable(typeof(WixQueryResponse))]
[JsonSerializable(typeof(WixUpdateRequest))]
[JsonSerializable(typeof(WixUpdateResponse))]
[JsonSerializable(typeof(DeliverooSiteStock))]
[JsonSerializable(typeof(DeliverooStockUpdate))]
[JsonSerializable(typeof(DeliverooStockUpdateResult))]
internal sealed partial class SimulatorJson : JsonSerializerContext;
