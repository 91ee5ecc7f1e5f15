namespace Firebreak.Storage.Tests.Connectors;

using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.X;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Platforms;
using Microsoft.AspNetCore.Http;

/// <summary>
/// Publishing to X against a loopback X that speaks API v2: <c>POST /2/tweets</c> (201 <c>{"data":{"id","text"}}</c>),
/// <c>GET /2/users/me</c> and <c>GET /2/users/:id/tweets</c> (newest first, <c>since_id</c>/<c>start_time</c>,
/// <c>meta</c> without <c>data</c> when empty). X shortens links to t.co and HTML-escapes &amp; &lt; &gt; in what it gives back.
/// </summary>
public sealed class XPublisherTests
{
    private const string Token = "x-user-token";

    [Fact]
    public async Task Publish_PostsTheTextWithTheUserToken_AndReturnsTheNewPostsIdAndUrl()
    {
        await using var x = await TimelineX.StartAsync();
        var publisher = new XPublisher(Http());

        var attempt = await publisher.PublishAsync(x.Account, Request("Spring range is here 🌷 مرحبا"), CancellationToken.None);

        Assert.Equal(PublishStatus.Published, attempt.Status);
        var created = Assert.Single(x.Tweets);
        Assert.Equal(created.Id, attempt.RemoteId);
        Assert.Equal($"https://x.com/brand/status/{created.Id}", attempt.RemoteUrl);
        var sent = Assert.Single(x.Stub.Requests, r => r.Method == "POST");
        Assert.Equal("Bearer " + Token, sent.Headers["Authorization"]);
        Assert.Equal("Spring range is here 🌷 مرحبا", JsonDocument.Parse(sent.Body).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task AnswerLostAfterXCreatedThePost_IsFoundOnTheTimeline_DespiteTcoLinksAndEscaping_AndNotSentAgain()
    {
        await using var x = await TimelineX.StartAsync();
        x.LoseNextAnswer = true;
        var publisher = new XPublisher(Http());
        var request = Request("Q&A <live> at 5pm: https://example.com/spring?utm=1 — join us");
        var started = DateTimeOffset.UtcNow;

        var first = await publisher.PublishAsync(x.Account, request, CancellationToken.None);
        var found = await publisher.FindAsync(x.Account, request, started, CancellationToken.None);

        Assert.Equal(PublishStatus.Transient, first.Status);
        Assert.Contains("not repeated automatically", first.Error);
        Assert.Single(x.Stub.Requests, r => r.Method == "POST");
        Assert.NotNull(found);
        Assert.Equal(Assert.Single(x.Tweets).Id, found.RemoteId);
        Assert.Contains("start_time=", x.Stub.Requests.Last().Query);
    }

    [Fact]
    public async Task Find_OnlyTheSameText_CountsAsTheEarlierAttempt()
    {
        await using var x = await TimelineX.StartAsync();
        x.Add("Something else entirely");
        var publisher = new XPublisher(Http());

        Assert.Null(await publisher.FindAsync(x.Account, Request("Our statement on today's delays"), DateTimeOffset.UtcNow.AddMinutes(-5), CancellationToken.None));
    }

    [Fact]
    public async Task ReadBack_GivesPostsAfterTheCheckpoint_NewestFirst_AndKeepsTheCheckpointWhenNothingIsNew()
    {
        await using var x = await TimelineX.StartAsync();
        var publisher = new XPublisher(Http());
        var first = await publisher.ReadBackAsync(x.Account, null, CancellationToken.None);
        Assert.Empty(first.Posts);
        Assert.Null(first.Checkpoint);

        var a = x.Add("posted through Firebreak");
        var b = x.Add("posted by someone with the password");
        var second = await publisher.ReadBackAsync(x.Account, null, CancellationToken.None);
        Assert.Equal([b, a], second.Posts.Select(p => p.RemoteId).ToArray());
        Assert.Equal(b, second.Checkpoint);

        var c = x.Add("and another");
        var third = await publisher.ReadBackAsync(x.Account, second.Checkpoint, CancellationToken.None);
        Assert.Equal([c], third.Posts.Select(p => p.RemoteId).ToArray());
        Assert.Equal($"since_id={b}", x.Stub.Requests.Last().Query.Split('&').Single(q => q.StartsWith("since_id=", StringComparison.Ordinal)));

        var quiet = await publisher.ReadBackAsync(x.Account, c, CancellationToken.None);
        Assert.Empty(quiet.Posts);
        Assert.Equal(c, quiet.Checkpoint);
    }

    [Fact]
    public async Task RevokedToken_IsPermanent_TimelineOutage_MeansWeCannotTell()
    {
        await using var x = await TimelineX.StartAsync();
        var publisher = new XPublisher(Http());
        var revoked = x.Account with { Secret = "revoked" };

        var attempt = await publisher.PublishAsync(revoked, Request("hello"), CancellationToken.None);
        Assert.Equal(PublishStatus.Permanent, attempt.Status);
        Assert.Contains("401", attempt.Error);

        x.TimelineDown = true;
        await Assert.ThrowsAsync<PlatformUnavailableException>(() => publisher.FindAsync(x.Account, Request("hello"), DateTimeOffset.UtcNow, CancellationToken.None));
    }

    [Fact]
    public async Task Media_IsRefusedWithoutCallingX()
    {
        await using var x = await TimelineX.StartAsync();
        var attempt = await new XPublisher(Http()).PublishAsync(x.Account, Request("look") with { MediaUrls = ["https://cdn.example/p.jpg"] }, CancellationToken.None);

        Assert.Equal(PublishStatus.Permanent, attempt.Status);
        Assert.Empty(x.Stub.Requests);
    }

    private static PublishRequest Request(string text) => new(text, [], "key-1", DateTimeOffset.UtcNow);

    private static ConnectorHttp Http() => new(new HttpClient(), new ConnectorHttpOptions { BaseBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 3, Timeout = TimeSpan.FromSeconds(5) }, TimeProvider.System);

    /// <summary>An X account's own timeline, as API v2 serves it.</summary>
    private sealed class TimelineX : IAsyncDisposable
    {
        private long next = 1_897_100_000_000_000_000;

        private TimelineX(StubServer stub) => Stub = stub;

        public StubServer Stub { get; }

        public ConcurrentQueue<(string Id, string Text, DateTimeOffset At)> TweetsQueue { get; } = new();

        public IReadOnlyList<(string Id, string Text, DateTimeOffset At)> Tweets => [.. TweetsQueue];

        public bool LoseNextAnswer { get; set; }

        public bool TimelineDown { get; set; }

        public PlatformAccount Account => new(1, "x:@brand", Platform.X, Stub.BaseUri, "@brand", Token, null);

        public static async Task<TimelineX> StartAsync()
        {
            TimelineX? x = null;
            var stub = await StubServer.StartAsync(c => x!.HandleAsync(c));
            x = new TimelineX(stub);
            return x;
        }

        public string Add(string text)
        {
            var id = Interlocked.Increment(ref next).ToString(CultureInfo.InvariantCulture);
            TweetsQueue.Enqueue((id, text, DateTimeOffset.UtcNow));
            return id;
        }

        public ValueTask DisposeAsync() => Stub.DisposeAsync();

        private async Task HandleAsync(HttpContext c)
        {
            c.Response.ContentType = "application/json";
            if (c.Request.Headers.Authorization != "Bearer " + Token)
            {
                c.Response.StatusCode = 401;
                await c.Response.WriteAsync("""{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}""");
                return;
            }

            var path = c.Request.Path.Value;
            if (path == "/2/tweets" && c.Request.Method == "POST")
            {
                var text = JsonDocument.Parse(await new StreamReader(c.Request.Body).ReadToEndAsync()).RootElement.GetProperty("text").GetString()!;
                // X keeps links as t.co and escapes &, < and > in the text it stores and gives back.
                var stored = System.Text.RegularExpressions.Regex.Replace(text, @"https?://\S+", "https://t.co/AbC123xyz").Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
                var id = Add(stored);
                if (LoseNextAnswer)
                {
                    LoseNextAnswer = false;
                    c.Response.StatusCode = 503;
                    return;
                }

                c.Response.StatusCode = 201;
                await c.Response.WriteAsync(JsonSerializer.Serialize(new { data = new { id, text = stored } }));
                return;
            }

            if (path == "/2/users/me")
            {
                await c.Response.WriteAsync("""{"data":{"id":"2244994945","name":"Brand","username":"brand"}}""");
                return;
            }

            if (path == "/2/users/2244994945/tweets")
            {
                if (TimelineDown)
                {
                    c.Response.StatusCode = 503;
                    return;
                }

                var since = c.Request.Query["since_id"].ToString();
                var start = c.Request.Query["start_time"].ToString();
                var list = Tweets.Where(t => since.Length == 0 || string.CompareOrdinal(t.Id, since) > 0)
                    .Where(t => start.Length == 0 || t.At >= DateTimeOffset.Parse(start, CultureInfo.InvariantCulture))
                    .OrderByDescending(t => t.Id, StringComparer.Ordinal).ToList();
                if (list.Count == 0)
                {
                    await c.Response.WriteAsync("""{"meta":{"result_count":0}}""");
                    return;
                }

                await c.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    data = list.Select(t => new { id = t.Id, text = t.Text, created_at = t.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), edit_history_tweet_ids = new[] { t.Id } }),
                    meta = new { result_count = list.Count, newest_id = list[0].Id, oldest_id = list[^1].Id },
                }));
                return;
            }

            c.Response.StatusCode = 404;
        }
    }
}
