using System.Text;
using Firebreak.Core.Ingestion;

namespace Firebreak.Core.Tests.Ingestion;

public sealed class NdjsonBatchReaderTests
{
    [Theory]
    [InlineData(5, 2, new[] { 2, 2, 1 })]
    [InlineData(4, 2, new[] { 2, 2 })]
    [InlineData(3, 10, new[] { 3 })]
    [InlineData(1, 1, new[] { 1 })]
    public async Task ReadAsync_ManyLines_BatchedBySize(int lines, int batchSize, int[] expected)
    {
        var text = string.Concat(Enumerable.Range(1, lines).Select(i => $"{{\"n\":{i}}}\n"));

        var batches = await ReadAsync(text, batchSize);

        Assert.Equal(expected, batches.Select(b => b.Items.Count));
        Assert.All(batches, b => Assert.Equal(7, b.WorkspaceId));
        Assert.Equal(Enumerable.Range(1, lines).Select(i => (long?)i), batches.SelectMany(b => b.Items).Select(i => i.Line));
    }

    [Fact]
    public async Task ReadAsync_EmptyStream_NoBatches()
    {
        Assert.Empty(await ReadAsync(string.Empty));
        Assert.Empty(await ReadAsync("\n\n  \r\n\t\n"));
    }

    [Fact]
    public async Task ReadAsync_BlankLinesAndCrlf_KeepOneBasedLineNumbers()
    {
        var text = "{\"a\":1}\r\n\r\n   \r\n{\"b\":2}\n\t\n{\"c\":3}\r\n";

        var items = (await ReadAsync(text)).SelectMany(b => b.Items).ToList();

        Assert.Equal([1L, 4L, 6L], items.Select(i => i.Line!.Value));
        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"], items.Select(Raw));
        Assert.All(items, i => Assert.Equal(IngestOutcome.Pending, i.Outcome));
    }

    [Fact]
    public async Task ReadAsync_NoTrailingNewline_LastLineRead()
    {
        var items = (await ReadAsync("{\"a\":1}\n{\"b\":2}")).SelectMany(b => b.Items).ToList();

        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], items.Select(Raw));
        Assert.Equal(2, items[1].Line);
    }

    [Fact]
    public async Task ReadAsync_LeadingBom_Skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat("{\"a\":1}\n{\"b\":2}\n"u8.ToArray()).ToArray();

        var items = (await ReadAsync(bytes)).SelectMany(b => b.Items).ToList();

        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], items.Select(Raw));
        Assert.Equal(1, items[0].Line);
        Assert.True(IngestJson.TryParse(items[0].RawLine.Span, out _, out _, out var reason), reason);
    }

    [Fact]
    public async Task ReadAsync_UnicodeLine_BytesKeptExactly()
    {
        var line = "{\"text\":\"مرحبا 東京 😀 Z̷a̴\"}";

        var items = (await ReadAsync(line + "\r\n")).SelectMany(b => b.Items).ToList();

        Assert.Equal(Encoding.UTF8.GetBytes(line), items.Single().RawLine.ToArray());
    }

    [Fact]
    public async Task ReadAsync_LinesAcrossChunkBoundaries_AllIntact()
    {
        // ~900 KB of short lines crosses the reader's 128 KB chunk many times at arbitrary offsets.
        var lines = Enumerable.Range(1, 9_000).Select(i => $"{{\"n\":{i},\"pad\":\"{new string('x', i % 173)}\"}}").ToList();
        var reader = new NdjsonBatchReader(2_000);
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");

        var batches = await ReadAsync(bytes, reader);

        var items = batches.SelectMany(b => b.Items).ToList();
        Assert.Equal(lines, items.Select(Raw));
        Assert.Equal(Enumerable.Range(1, 9_000).Select(i => (long)i), items.Select(i => i.Line!.Value));
        Assert.Equal(bytes.Length, reader.BytesRead);
    }

    [Fact]
    public async Task ReadAsync_LineLongerThanChunkButWithinLimit_ReadWhole()
    {
        var big = "{\"text\":\"" + new string('b', 700_000) + "\"}";

        var items = (await ReadAsync("{\"a\":1}\n" + big + "\n{\"c\":3}")).SelectMany(b => b.Items).ToList();

        Assert.Equal(["{\"a\":1}", big, "{\"c\":3}"], items.Select(Raw));
        Assert.DoesNotContain(items, i => i.Outcome == IngestOutcome.Rejected);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("")]
    public async Task ReadAsync_LineExactlyAtLimit_Accepted(string ending)
    {
        var line = new string('a', IngestLimits.MaxItemBytes);

        var items = (await ReadAsync("{}\n" + line + ending)).SelectMany(b => b.Items).ToList();

        Assert.Equal(2, items.Count);
        Assert.Equal(IngestLimits.MaxItemBytes, items[1].RawLine.Length);
    }

    [Fact]
    public async Task ReadAsync_CrlfLineExactlyAtLimit_Accepted()
    {
        // The limit is on the item; the line terminator is not part of it.
        var line = new string('a', IngestLimits.MaxItemBytes);

        var items = (await ReadAsync(line + "\r\n{}\r\n")).SelectMany(b => b.Items).ToList();

        Assert.Equal(IngestOutcome.Pending, items[0].Outcome);
        Assert.Equal(IngestLimits.MaxItemBytes, items[0].RawLine.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(3 * 1024 * 1024)]
    public async Task ReadAsync_LineOverLimit_RejectedWithLineNumberAndReadingGoesOn(int excess)
    {
        var text = "{\"a\":1}\n\n" + new string('z', IngestLimits.MaxItemBytes + excess) + "\n{\"b\":2}\n{\"c\":3}";

        var batches = await ReadAsync(text, batchSize: 2);

        var items = batches.SelectMany(b => b.Items).ToList();
        Assert.Equal([1L, 3L, 4L, 5L], items.Select(i => i.Line!.Value));
        Assert.Equal(IngestOutcome.Rejected, items[1].Outcome);
        Assert.True(items[1].RawLine.IsEmpty);
        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"], items.Where(i => i.Outcome == IngestOutcome.Pending).Select(Raw));
        var rejection = Assert.Single(batches.SelectMany(b => b.Rejections));
        Assert.Equal(3, rejection.Line);
        Assert.Equal("$", rejection.Field);
        Assert.Contains("longer than", rejection.Reason, StringComparison.Ordinal);
        var report = Assert.Single(batches, b => b.Rejections.Count > 0).BuildReport();
        Assert.Equal(2, report.Received);
        Assert.Equal(3, Assert.Single(report.Rejected).Line);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1_000_000)]
    public async Task ReadAsync_OversizeLastLineWithoutNewline_Rejected(int excess)
    {
        var text = "{\"a\":1}\n" + new string('z', IngestLimits.MaxItemBytes + excess);

        var batches = await ReadAsync(text);

        var rejection = Assert.Single(batches.SelectMany(b => b.Rejections));
        Assert.Equal(2, rejection.Line);
        Assert.Equal(2, batches.Sum(b => b.Items.Count));
    }

    [Fact]
    public async Task ReadAsync_OversizeLastLineFillingBufferExactly_Rejected()
    {
        // MaxItemBytes + 1 bytes is exactly the reader's largest buffer: the skip leaves nothing to read at EOF.
        var text = "{\"a\":1}\n" + new string('z', IngestLimits.MaxItemBytes + 1);

        var batches = await ReadAsync(text);

        var rejection = Assert.Single(batches.SelectMany(b => b.Rejections));
        Assert.Equal(2, rejection.Line);
    }

    [Fact]
    public async Task ReadAsync_TwoOversizeLinesInARow_EachRejectedOnce()
    {
        var huge = new string('z', IngestLimits.MaxItemBytes + 500);
        var text = huge + "\n" + huge + "\r\n{\"ok\":1}\n";

        var batches = await ReadAsync(text);

        Assert.Equal([1L, 2L], batches.SelectMany(b => b.Rejections).Select(r => r.Line!.Value));
        Assert.Equal("{\"ok\":1}", Raw(batches.SelectMany(b => b.Items).Single(i => i.Outcome == IngestOutcome.Pending)));
    }

    [Fact]
    public async Task ReadAsync_SlowStreamDeliveringFewBytes_SameResult()
    {
        var text = "\uFEFF{\"a\":1}\r\n\r\n{\"b\":\"é😀\"}\n{\"c\":3}";
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(text), 2);

        var batches = new List<IngestBatch>();
        await foreach (var batch in new NdjsonBatchReader().ReadAsync(1, stream))
        {
            batches.Add(batch);
        }

        var items = batches.SelectMany(b => b.Items).ToList();
        Assert.Equal(["{\"a\":1}", "{\"b\":\"é😀\"}", "{\"c\":3}"], items.Select(Raw));
        Assert.Equal([1L, 3L, 4L], items.Select(i => i.Line!.Value));
    }

    private static string Raw(IngestItem item) => Encoding.UTF8.GetString(item.RawLine.Span);

    private static Task<List<IngestBatch>> ReadAsync(string text, int batchSize = 2_000) =>
        ReadAsync(Encoding.UTF8.GetBytes(text), new NdjsonBatchReader(batchSize));

    private static Task<List<IngestBatch>> ReadAsync(byte[] bytes) => ReadAsync(bytes, new NdjsonBatchReader());

    private static async Task<List<IngestBatch>> ReadAsync(byte[] bytes, NdjsonBatchReader reader)
    {
        using var stream = new MemoryStream(bytes);
        var batches = new List<IngestBatch>();
        await foreach (var batch in reader.ReadAsync(7, stream))
        {
            batches.Add(batch);
        }

        return batches;
    }

    /// <summary>A stream that hands out at most a few bytes per read, as a slow network body does.</summary>
    private sealed class TrickleStream(byte[] bytes, int step) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(step, buffer.Length)], cancellationToken);
    }
}
