using System.Text.Json;
using System.Text.Json.Serialization;
using Fairlane.Agents.Catalog;

namespace Fairlane.Worker.Admin;

/// <summary>
/// Source-generated JSON for the catalogue's answers (admin API and <c>fairlane catalog show --json</c>): camelCase,
/// nulls written. No type here carries credentials; a channel says only whether it has them.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false)]
[JsonSerializable(typeof(CatalogProduct))]
[JsonSerializable(typeof(CatalogChannel))]
[JsonSerializable(typeof(CatalogMapping))]
[JsonSerializable(typeof(List<CatalogMapping>))]
[JsonSerializable(typeof(CatalogSnapshot))]
[JsonSerializable(typeof(CatalogImportResult))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
