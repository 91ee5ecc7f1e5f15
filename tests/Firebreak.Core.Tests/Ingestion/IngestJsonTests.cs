using System.Text;
using Firebreak.Core.Ingestion;

namespace Firebreak.Core.Tests.Ingestion;

public sealed class IngestJsonTests
{
    [Fact]
    public void TryParse_ValidObject_ReadsEveryField()
    {
        var json = """
            {
              // comments and trailing commas are tolerated
              "Platform": "x", "EXTERNALID": "17", "kind": "reply",
              "author": { "handle": "@bob", "displayName": "Bob", "followers": 12, "verified": true },
              "text": "héllo 😀", "language": "fr-CA", "url": "https://x.com/17",
              "createdAt": "2025-03-03T13:30:00+02:00",
              "engagement": { "likes": 1, "shares": 2, "replies": 3, "views": 4 },
              "parentExternalId": "16", "threadExternalId": "10", "sourceId": 5,
              "somethingNew": { "ignored": [1, 2] },
            }
            """u8;

        var ok = IngestJson.TryParse(json, out var input, out var field, out var reason);

        Assert.True(ok, $"{field}: {reason}");
        Assert.Equal("x", input!.Platform);
        Assert.Equal("17", input.ExternalId);
        Assert.Equal("reply", input.Kind);
        Assert.Equal("@bob", input.Author!.Handle);
        Assert.Equal(12, input.Author.Followers);
        Assert.True(input.Author.Verified);
        Assert.Equal("héllo 😀", input.Text);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 13, 30, 0, TimeSpan.FromHours(2)), input.CreatedAt);
        Assert.Equal(TimeSpan.FromHours(2), input.CreatedAt!.Value.Offset);
        Assert.Equal(4, input.Engagement!.Views);
        Assert.Equal("16", input.ParentExternalId);
        Assert.Equal(5, input.SourceId);
    }

    [Theory]
    [InlineData("{\"platform\": \"x\",, }", "$", "(line 1, byte ")]
    [InlineData("{\"platform\": \"x\"", "$", "line 1")]
    [InlineData("{\n  \"text\": tru\n}", "$.text", "(line 2, byte ")]
    [InlineData("[]", "$", "")]
    [InlineData("\"just a string\"", "$", "")]
    [InlineData("", "$", "")]
    public void TryParse_MalformedJson_FailsWithPosition(string json, string field, string reasonFragment)
    {
        var ok = IngestJson.TryParse(Encoding.UTF8.GetBytes(json), out var input, out var actualField, out var reason);

        Assert.False(ok);
        Assert.Null(input);
        Assert.Equal(field, actualField);
        Assert.NotEmpty(reason);
        Assert.Contains(reasonFragment, reason, StringComparison.Ordinal);
        Assert.DoesNotContain(" Path:", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"author\": {\"handle\": \"bob\", \"followers\": \"many\"}}", "$.author.followers")]
    [InlineData("{\"author\": {\"verified\": \"yes please\"}}", "$.author.verified")]
    [InlineData("{\"createdAt\": \"yesterday\"}", "$.createdAt")]
    [InlineData("{\"engagement\": {\"likes\": 1.5}}", "$.engagement.likes")]
    [InlineData("{\"text\": 42}", "$.text")]
    [InlineData("{\"author\": \"bob\"}", "$.author")]
    [InlineData("{\"sourceId\": 99999999999999999999}", "$.sourceId")]
    public void TryParse_WrongTypedField_NamesItsPath(string json, string path)
    {
        var ok = IngestJson.TryParse(Encoding.UTF8.GetBytes(json), out _, out var field, out var reason);

        Assert.False(ok);
        Assert.Equal(path, field);
        Assert.Contains("(line 1, byte ", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_JsonNull_FailsAsNotAnObject()
    {
        Assert.False(IngestJson.TryParse("null"u8, out var input, out var field, out var reason));
        Assert.Null(input);
        Assert.Equal("$", field);
        Assert.Equal("expected a JSON object, found null", reason);
    }

    [Theory]
    [InlineData("", new byte[] { 0xFF }, 10)]
    [InlineData("", new byte[] { 0xC0, 0xAF }, 10)] // overlong '/'
    [InlineData("", new byte[] { 0xED, 0xA0, 0x80 }, 10)] // an encoded surrogate (CESU-8)
    [InlineData("", new byte[] { 0xE2, 0x82, (byte)'"' }, 10)] // truncated sequence
    [InlineData("ok é ", new byte[] { 0x80 }, 16)] // a stray continuation byte after a 2-byte char
    public void TryParse_InvalidUtf8_ReportsByteOffset(string before, byte[] bad, int offset)
    {
        var bytes = Concat("{\"text\":\"a"u8.ToArray(), Encoding.UTF8.GetBytes(before), bad, "\"}"u8.ToArray());

        var ok = IngestJson.TryParse(bytes, out _, out var field, out var reason);

        Assert.False(ok);
        Assert.Equal("$", field);
        Assert.Equal($"invalid UTF-8 at byte {offset} of the item", reason);
    }

    [Theory]
    [InlineData("a", 1_000)]
    [InlineData("é", 300)]
    [InlineData("😀", 200)]
    public void TryParse_InvalidUtf8FarIntoItem_ReportsExactOffset(string repeated, int times)
    {
        var prefix = Encoding.UTF8.GetBytes("{\"text\":\"" + string.Concat(Enumerable.Repeat(repeated, times)));
        var bytes = Concat(prefix, [0xFF], "\"}"u8.ToArray());

        IngestJson.TryParse(bytes, out _, out _, out var reason);

        Assert.Equal($"invalid UTF-8 at byte {prefix.Length} of the item", reason);
        Assert.Equal(prefix.Length, IngestJson.FirstInvalidUtf8(bytes));
    }

    [Fact]
    public void TryParse_ItemOverLimit_RejectedBeforeParsing()
    {
        var bytes = PaddedItem(IngestLimits.MaxItemBytes + 1);

        var ok = IngestJson.TryParse(bytes, out var input, out var field, out var reason);

        Assert.False(ok);
        Assert.Null(input);
        Assert.Equal("$", field);
        Assert.Equal($"item is {IngestLimits.MaxItemBytes + 1:N0} bytes; the limit is {IngestLimits.MaxItemBytes:N0}", reason);
    }

    [Fact]
    public void TryParse_ItemExactlyAtLimit_Parsed()
    {
        var bytes = PaddedItem(IngestLimits.MaxItemBytes);

        Assert.True(IngestJson.TryParse(bytes, out var input, out _, out var reason), reason);
        Assert.Equal(IngestLimits.MaxItemBytes - "{\"platform\":\"x\",\"text\":\"\"}".Length, input!.Text!.Length);
    }

    private static byte[] PaddedItem(int size)
    {
        var shell = "{\"platform\":\"x\",\"text\":\"\"}";
        var bytes = Encoding.UTF8.GetBytes("{\"platform\":\"x\",\"text\":\"" + new string('a', size - shell.Length) + "\"}");
        Assert.Equal(size, bytes.Length);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
