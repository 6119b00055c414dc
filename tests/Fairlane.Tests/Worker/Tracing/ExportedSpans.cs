using System.Collections;
using System.Diagnostics;

namespace Fairlane.Tests.Worker.Tracing;

/// <summary>
/// What the in-memory exporters of a test's nodes received: ended spans, added from whichever thread
/// ended them. In-process nodes share the process's activity sources, so each node's provider sees
/// every span; they are told apart by span id.
/// </summary>
internal sealed class ExportedSpans : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private readonly Lock _gate = new();

    /// <summary>The spans of one trace, each once.</summary>
    public IReadOnlyList<Activity> OfTrace(ActivityTraceId traceId)
    {
        lock (_gate) return _spans.Where(s => s.TraceId == traceId).DistinctBy(s => s.SpanId).ToList();
    }

    public void Add(Activity item)
    {
        lock (_gate) _spans.Add(item);
    }

    public int Count
    {
        get { lock (_gate) return _spans.Count; }
    }

    public bool IsReadOnly => false;

    public void Clear()
    {
        lock (_gate) _spans.Clear();
    }

    public bool Contains(Activity item)
    {
        lock (_gate) return _spans.Contains(item);
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_gate) _spans.CopyTo(array, arrayIndex);
    }

    public bool Remove(Activity item)
    {
        lock (_gate) return _spans.Remove(item);
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_gate) return _spans.ToList().GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
