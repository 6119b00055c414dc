namespace Fairlane.ChannelSimulator;

/// <summary>What became of one item in a stock push; each vendor words a rejection its own way.</summary>
internal enum StockUpdate
{
    Updated,
    NotFound,
    NegativeQuantity,
}

internal static class StockUpdateText
{
    public static string? Reason(this StockUpdate update) => update switch
    {
        StockUpdate.Updated => null,
        StockUpdate.NotFound => "item not found",
        StockUpdate.NegativeQuantity => "quantity must not be negative",
        _ => throw new ArgumentOutOfRangeException(nameof(update), update, null),
    };
}
