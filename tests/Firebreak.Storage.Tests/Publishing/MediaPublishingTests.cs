namespace Firebreak.Storage.Tests.Publishing;

using System.Net;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Platforms;
using Firebreak.Storage.Tests.Connectors;
using Microsoft.AspNetCore.Http;

/// <summary>
/// Posts with pictures: fetched from the author's URLs (a loopback picture server here), uploaded the way each platform
/// documents (Mastodon <c>POST /api/v2/media</c>, 202 then <c>GET /api/v1/media/:id</c>; Bluesky <c>uploadBlob</c> and an
/// <c>app.bsky.embed.images</c> embed), and refused with a clear reason when a picture is too big, not a picture, or
/// on a private network.
/// </summary>
public sealed class MediaPublishingTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 9, 9];

    private static readonly MediaFetcher LoopbackFetcher = new(new MediaFetcherOptions { AllowPrivateAddresses = true });

    [Fact]
    public async Task Mastodon_UploadsEachPicture_WaitsForProcessing_AndAttachesThemToTheStatus()
    {
        await using var pictures = await PictureServerAsync();
        await using var mastodon = new MastodonStub { ProcessingPolls = 2 };
        await mastodon.StartAsync();
        var publisher = new MastodonPublisher(new HttpClient(), TimeProvider.System, LoopbackFetcher);
        var account = new PlatformAccount(1, "mastodon:@brand", Platform.Mastodon, mastodon.BaseUri, "@brand@example.social", MastodonStub.Token, null);

        var attempt = await publisher.PublishAsync(account, Request("Spring range 🌷", pictures.BaseUri + "spring.png", pictures.BaseUri + "team.jpg"), CancellationToken.None);

        Assert.Equal(PublishStatus.Published, attempt.Status);
        var ids = mastodon.MediaOfStatus["Spring range 🌷"];
        Assert.Equal(2, ids.Length);
        Assert.Equal(("spring.png", "image/png"), (mastodon.Media[ids[0]].FileName, mastodon.Media[ids[0]].ContentType));
        Assert.Equal(Png, mastodon.Media[ids[0]].Bytes);
        Assert.Equal(("team.jpg", "image/jpeg"), (mastodon.Media[ids[1]].FileName, mastodon.Media[ids[1]].ContentType));
        Assert.Equal(Jpeg, mastodon.Media[ids[1]].Bytes);
    }

    [Fact]
    public async Task Bluesky_UploadsBlobs_AndEmbedsThem()
    {
        await using var pictures = await PictureServerAsync();
        await using var bluesky = new BlueskyStub();
        await bluesky.StartAsync();
        var publisher = new BlueskyPublisher(new HttpClient(), TimeProvider.System, LoopbackFetcher);
        var rkey = Tid.For(DateTimeOffset.UtcNow, 1, 2, 0);

        var attempt = await publisher.PublishAsync(Account(bluesky), Request("Spring range 🌷", pictures.BaseUri + "spring.png") with { IdempotencyKey = rkey }, CancellationToken.None);

        Assert.Equal(PublishStatus.Published, attempt.Status);
        var blob = Assert.Single(bluesky.Blobs);
        Assert.Equal("image/png", blob.Value.MimeType);
        Assert.Equal(Png, blob.Value.Bytes);
        var image = Assert.Single(bluesky.Embeds[rkey]["images"]!.AsArray());
        Assert.Equal(blob.Key, (string?)image!["image"]!["ref"]!["$link"]);
    }

    [Fact]
    public async Task Bluesky_PictureOverItsBlobLimit_IsRefusedBeforeAnythingIsPosted()
    {
        await using var pictures = await PictureServerAsync();
        await using var bluesky = new BlueskyStub();
        await bluesky.StartAsync();
        var publisher = new BlueskyPublisher(new HttpClient(), TimeProvider.System, LoopbackFetcher);

        var attempt = await publisher.PublishAsync(Account(bluesky), Request("big", pictures.BaseUri + "huge.png") with { IdempotencyKey = Tid.For(DateTimeOffset.UtcNow, 1, 3, 0) }, CancellationToken.None);

        Assert.Equal(PublishStatus.Permanent, attempt.Status);
        Assert.Contains("1,000,000", attempt.Error);
        Assert.Empty(bluesky.Texts);
        Assert.Empty(bluesky.Blobs);
    }

    [Fact]
    public async Task NotAPicture_OrMissing_IsRefusedSayingWhichUrl_AndNothingIsPosted()
    {
        await using var pictures = await PictureServerAsync();
        await using var mastodon = new MastodonStub();
        await mastodon.StartAsync();
        var publisher = new MastodonPublisher(new HttpClient(), TimeProvider.System, LoopbackFetcher);
        var account = new PlatformAccount(1, "mastodon:@brand", Platform.Mastodon, mastodon.BaseUri, "@brand@example.social", MastodonStub.Token, null);

        var html = await publisher.PublishAsync(account, Request("look", pictures.BaseUri + "page.png"), CancellationToken.None);
        var missing = await publisher.PublishAsync(account, Request("look", pictures.BaseUri + "gone.png"), CancellationToken.None);
        var down = await publisher.PublishAsync(account, Request("look", pictures.BaseUri + "down.png"), CancellationToken.None);

        Assert.Equal(PublishStatus.Permanent, html.Status);
        Assert.Contains("page.png is not a JPEG, PNG, GIF or WebP", html.Error);
        Assert.Equal(PublishStatus.Permanent, missing.Status);
        Assert.Contains("gone.png answered 404", missing.Error);
        Assert.Equal(PublishStatus.Transient, down.Status);
        Assert.Empty(mastodon.Texts);
        Assert.Empty(mastodon.Media);
    }

    [Fact]
    public async Task ByDefault_APictureOnAPrivateNetwork_IsNotFetched()
    {
        await using var pictures = await PictureServerAsync();
        var fetcher = new MediaFetcher(new MediaFetcherOptions());

        var e = await Assert.ThrowsAsync<MediaFetchException>(() => fetcher.FetchAsync(pictures.BaseUri + "spring.png", 1_000_000, CancellationToken.None));

        Assert.Contains("private network", e.Message);
        Assert.False(e.Transient);
        Assert.Empty(pictures.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:4700::1111", false)]
    public void PrivateAddresses_AreRecognised(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, MediaFetcher.IsPrivate(IPAddress.Parse(address)));

    [Theory]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1 }, "image/gif")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50 }, "image/webp")]
    [InlineData(new byte[] { 0x3C, 0x68, 0x74, 0x6D, 0x6C, 0x3E }, null)]
    [InlineData(new byte[] { }, null)]
    public void Sniff_ReadsTheTypeFromTheBytes(byte[] bytes, string? type) => Assert.Equal(type, MediaFetcher.Sniff(bytes));

    private static PublishRequest Request(string text, params string[] media) => new(text, media, "key-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);

    private static PlatformAccount Account(BlueskyStub bluesky) => new(1, "bluesky:brand.test", Platform.Bluesky, bluesky.BaseUri, BlueskyStub.Handle, BlueskyStub.AppPassword, null);

    /// <summary>The author's picture host: two pictures, one too big for Bluesky, an HTML page named .png, a 404 and a 503.</summary>
    private static Task<StubServer> PictureServerAsync() => StubServer.StartAsync(async c =>
    {
        switch (c.Request.Path.Value)
        {
            case "/spring.png":
                c.Response.ContentType = "image/png";
                await c.Response.Body.WriteAsync(Png);
                break;
            case "/team.jpg":
                c.Response.ContentType = "image/jpeg";
                await c.Response.Body.WriteAsync(Jpeg);
                break;
            case "/huge.png":
                c.Response.ContentType = "image/png";
                await c.Response.Body.WriteAsync(Png.Concat(new byte[1_200_000]).ToArray());
                break;
            case "/page.png":
                c.Response.ContentType = "image/png";
                await c.Response.WriteAsync("<html>not a picture</html>");
                break;
            case "/down.png":
                c.Response.StatusCode = 503;
                break;
            default:
                c.Response.StatusCode = 404;
                break;
        }
    });
}
