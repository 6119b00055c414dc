using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fairlane.Contracts.Events;

/// <summary>
/// Source-generated JSON for the envelope and every payload: camelCase names, nulls omitted,
/// no reflection at run time.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(EventEnvelope))]
[JsonSerializable(typeof(StockChanged))]
[JsonSerializable(typeof(SyncRequested))]
[JsonSerializable(typeof(ReconcileTenant))]
[JsonSerializable(typeof(AlertCheck))]
[JsonSerializable(typeof(TenantCommand))]
[JsonSerializable(typeof(CatalogProductUpserted))]
[JsonSerializable(typeof(CatalogProductDeleted))]
[JsonSerializable(typeof(CatalogMappingUpserted))]
[JsonSerializable(typeof(CatalogMappingDeleted))]
public sealed partial class FairlaneJsonContext : JsonSerializerContext;
