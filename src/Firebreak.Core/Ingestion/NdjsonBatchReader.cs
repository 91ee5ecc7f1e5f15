namespace Firebreak.Core.Ingestion;

using System.Runtime.CompilerServices;

/// <summary>
/// Splits an NDJSON stream into batches of raw lines without parsing them (the parse stage does that on
/// the pipeline's own thread). Memory is bounded by the batch size and <see cref="IngestLimits.MaxItemBytes"/>:
/// a longer line is skipped to its end and rejected with its line number, and reading goes on.
/// </summary>
public sealed class NdjsonBatchReader(int batchSize = 2_000)
{
    private const int ChunkSize = 128 * 1024;

    /// <summary>Rejections of oversize lines, found before their batch exists; attached when it is made.</summary>
    private readonly List<IngestRejection> pendingRejections = [];

    /// <summary>Bytes consumed so far; a progress bar reads it.</summary>
    public long BytesRead { get; private set; }

    public async IAsyncEnumerable<IngestBatch> ReadAsync(long workspaceId, Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[ChunkSize];
        var start = 0;
        var end = 0;
        long line = 0;
        var index = 0;
        var oversize = false;
        var first = true;
        var items = new List<IngestItem>(batchSize);
        while (true)
        {
            if (end == buffer.Length)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                else if (buffer.Length <= IngestLimits.MaxItemBytes + 1)
                {
                    // Room for the largest item plus its CR LF; the parser rejects anything longer.
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, IngestLimits.MaxItemBytes + 2));
                }
                else
                {
                    // A single line longer than the limit: drop what we hold and skip to its end.
                    oversize = true;
                    start = 0;
                    end = 0;
                }
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            BytesRead += read;
            var eof = read == 0;
            end += read;
            if (first && end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                start = 3;
            }

            first = first && end < 3 && !eof;
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline < 0)
                {
                    if (!eof || (start == end && !oversize))
                    {
                        break;
                    }

                    newline = end;
                }

                line++;
                var length = newline - start;
                if (length > 0 && buffer[start + length - 1] == '\r')
                {
                    length--;
                }

                if (oversize || length > IngestLimits.MaxItemBytes)
                {
                    var item = new IngestItem { Index = index++, Line = line, Outcome = IngestOutcome.Rejected };
                    items.Add(item);
                    pendingRejections.Add(new IngestRejection(item.Index, "$", $"line is longer than {IngestLimits.MaxItemBytes:N0} bytes; it was skipped", line));
                    oversize = false;
                }
                else if (!IsBlank(buffer.AsSpan(start, length)))
                {
                    items.Add(new IngestItem { Index = index++, Line = line, RawLine = buffer.AsSpan(start, length).ToArray() });
                }

                start = Math.Min(newline + 1, end);
                if (items.Count >= batchSize)
                {
                    yield return Flush(workspaceId, ref items);
                }
            }

            if (eof)
            {
                break;
            }
        }

        if (items.Count > 0)
        {
            yield return Flush(workspaceId, ref items);
        }
    }

    private IngestBatch Flush(long workspaceId, ref List<IngestItem> items)
    {
        var batch = new IngestBatch(workspaceId, items);
        foreach (var rejection in pendingRejections)
        {
            batch.AddRejection(rejection);
        }

        pendingRejections.Clear();
        items = new List<IngestItem>(batchSize);
        return batch;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
