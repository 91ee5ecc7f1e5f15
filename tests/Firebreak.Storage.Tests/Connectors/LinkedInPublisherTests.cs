namespace Firebreak.Storage.Tests.Connectors;

using System.Collections.Concurrent;
using System.Text.Json;
using Firebreak.Core.Connectors;
using Firebreak.Core.Connectors.LinkedIn;
using Firebreak.Core.Mentions;
using Firebreak.Core.Publishing;
using Firebreak.Core.Publishing.Platforms;
using Microsoft.AspNetCore.Http;

/// <summary>
/// Publishing as an organisation against a loopback LinkedIn Posts API: <c>POST /rest/posts</c> answered 201 with the URN in
/// <c>x-restli-id</c>, <c>GET /rest/posts?q=author</c> giving <c>elements</c> with little-format <c>commentary</c>.
/// </summary>
public sealed class LinkedInPublisherTests
{
    private const string Org = "urn:li:organization:2414183";

    [Fact]
    public async Task Publish_SendsTheDocumentedBody_WithVersionHeaders_AndEscapedCommentary()
    {
        await using var li = await OrgPosts.StartAsync();
        var options = new LinkedInOptions { ApiBase = li.Stub.BaseUri };

        var attempt = await new LinkedInPublisher(Http(), options).PublishAsync(li.Account, Request("Spring (at last) is here! #spring @team [50% off] *today*"), CancellationToken.None);

        Assert.Equal(PublishStatus.Published, attempt.Status);
        Assert.Equal("urn:li:share:7000000000000000001", attempt.RemoteId);
        Assert.Equal("https://www.linkedin.com/feed/update/urn:li:share:7000000000000000001", attempt.RemoteUrl);
        var sent = Assert.Single(li.Stub.Requests, r => r.Method == "POST");
        Assert.Equal(options.Version, sent.Headers["LinkedIn-Version"]);
        Assert.Equal("2.0.0", sent.Headers["X-Restli-Protocol-Version"]);
        var body = JsonDocument.Parse(sent.Body).RootElement;
        Assert.Equal(Org, body.GetProperty("author").GetString());
        Assert.Equal(@"Spring \(at last\) is here! #spring \@team \[50% off\] \*today\*", body.GetProperty("commentary").GetString());
        Assert.Equal("PUBLIC", body.GetProperty("visibility").GetString());
        Assert.Equal("MAIN_FEED", body.GetProperty("distribution").GetProperty("feedDistribution").GetString());
        Assert.Equal("PUBLISHED", body.GetProperty("lifecycleState").GetString());
    }

    [Theory]
    [InlineData("plain words", "plain words")]
    [InlineData("#hashtag and C# and a#b", @"#hashtag and C\# and a\#b")]
    [InlineData(@"back\slash | pipe {x} <y> _z_ ~w~", @"back\\slash \| pipe \{x\} \<y\> \_z\_ \~w\~")]
    [InlineData("emoji 🚀 and مرحبا", "emoji 🚀 and مرحبا")]
    public void Escape_ReservedCharacters_AndUnescapeIsItsInverse(string text, string little)
    {
        Assert.Equal(little, LinkedInPublisher.Escape(text));
        Assert.Equal(text, LinkedInPublisher.Unescape(little));
    }

    [Fact]
    public async Task AnswerLost_ThePostIsFoundOnTheOrganisation_NotSentAgain()
    {
        await using var li = await OrgPosts.StartAsync();
        li.LoseNextAnswer = true;
        var publisher = new LinkedInPublisher(Http(), new LinkedInOptions { ApiBase = li.Stub.BaseUri });
        var request = Request("Our statement (updated) on today's delays");
        var started = DateTimeOffset.UtcNow;

        var first = await publisher.PublishAsync(li.Account, request, CancellationToken.None);
        var found = await publisher.FindAsync(li.Account, request, started, CancellationToken.None);

        Assert.Equal(PublishStatus.Transient, first.Status);
        Assert.Single(li.Stub.Requests, r => r.Method == "POST");
        Assert.Equal("urn:li:share:7000000000000000001", found?.RemoteId);
        Assert.Null(await publisher.FindAsync(li.Account, Request("a different text"), started, CancellationToken.None));
    }

    [Fact]
    public async Task ReadBack_FirstSetsTheCheckpoint_ThenGivesOnlyNewerPosts()
    {
        await using var li = await OrgPosts.StartAsync();
        var publisher = new LinkedInPublisher(Http(), new LinkedInOptions { ApiBase = li.Stub.BaseUri });
        li.Add("before Firebreak watched", DateTimeOffset.UtcNow.AddHours(-2));

        var first = await publisher.ReadBackAsync(li.Account, null, CancellationToken.None);
        Assert.Empty(first.Posts);
        Assert.NotNull(first.Checkpoint);

        var rogue = li.Add("posted by someone with the password", DateTimeOffset.UtcNow);
        var second = await publisher.ReadBackAsync(li.Account, first.Checkpoint, CancellationToken.None);
        Assert.Equal([rogue], second.Posts.Select(p => p.RemoteId).ToArray());
        Assert.Equal("posted by someone with the password", second.Posts[0].Text);

        var third = await publisher.ReadBackAsync(li.Account, second.Checkpoint, CancellationToken.None);
        Assert.Empty(third.Posts);
        Assert.Equal(second.Checkpoint, third.Checkpoint);
    }

    [Fact]
    public async Task RetiredVersion_IsPermanent_AndSaysWhatToChange()
    {
        await using var li = await OrgPosts.StartAsync();
        li.Retired = true;

        var attempt = await new LinkedInPublisher(Http(), new LinkedInOptions { ApiBase = li.Stub.BaseUri, Version = "202301" }).PublishAsync(li.Account, Request("hello"), CancellationToken.None);

        Assert.Equal(PublishStatus.Permanent, attempt.Status);
        Assert.Contains("Connectors:LinkedIn:Version", attempt.Error);
    }

    private static PublishRequest Request(string text) => new(text, [], "key-1", DateTimeOffset.UtcNow);

    private static ConnectorHttp Http() => new(new HttpClient(), new ConnectorHttpOptions { BaseBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 3, Timeout = TimeSpan.FromSeconds(5) }, TimeProvider.System);

    private sealed class OrgPosts : IAsyncDisposable
    {
        private long next = 7_000_000_000_000_000_000;

        private OrgPosts(StubServer stub) => Stub = stub;

        public StubServer Stub { get; }

        public ConcurrentQueue<(string Urn, string Commentary, DateTimeOffset At)> Posts { get; } = new();

        public bool LoseNextAnswer { get; set; }

        public bool Retired { get; set; }

        public PlatformAccount Account => new(1, "linkedin:2414183", Platform.LinkedIn, Stub.BaseUri, "2414183", "li-token", null);

        public static async Task<OrgPosts> StartAsync()
        {
            OrgPosts? li = null;
            var stub = await StubServer.StartAsync(c => li!.HandleAsync(c));
            li = new OrgPosts(stub);
            return li;
        }

        /// <summary>Adds a post as LinkedIn stores it (commentary in little format).</summary>
        public string Add(string text, DateTimeOffset at)
        {
            var urn = $"urn:li:share:{Interlocked.Increment(ref next)}";
            Posts.Enqueue((urn, LinkedInPublisher.Escape(text), at));
            return urn;
        }

        public ValueTask DisposeAsync() => Stub.DisposeAsync();

        private async Task HandleAsync(HttpContext c)
        {
            c.Response.ContentType = "application/json";
            if (Retired)
            {
                c.Response.StatusCode = 426;
                await c.Response.WriteAsync("""{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20230101 is not active"}""");
                return;
            }

            if (c.Request.Path == "/rest/posts" && c.Request.Method == "POST")
            {
                var body = JsonDocument.Parse(await new StreamReader(c.Request.Body).ReadToEndAsync()).RootElement;
                var urn = $"urn:li:share:{Interlocked.Increment(ref next)}";
                Posts.Enqueue((urn, body.GetProperty("commentary").GetString()!, DateTimeOffset.UtcNow));
                if (LoseNextAnswer)
                {
                    LoseNextAnswer = false;
                    c.Response.StatusCode = 504;
                    return;
                }

                c.Response.StatusCode = 201;
                c.Response.Headers["x-restli-id"] = urn;
                return;
            }

            if (c.Request.Path == "/rest/posts" && c.Request.Query["q"] == "author" && c.Request.Query["author"] == Org)
            {
                var elements = Posts.OrderByDescending(p => p.At).Select(p => new
                {
                    id = p.Urn,
                    author = Org,
                    commentary = p.Commentary,
                    visibility = "PUBLIC",
                    lifecycleState = "PUBLISHED",
                    createdAt = p.At.ToUnixTimeMilliseconds(),
                    publishedAt = p.At.ToUnixTimeMilliseconds(),
                    lastModifiedAt = p.At.ToUnixTimeMilliseconds(),
                });
                await c.Response.WriteAsync(JsonSerializer.Serialize(new { paging = new { start = 0, count = 20, links = Array.Empty<object>() }, elements }));
                return;
            }

            c.Response.StatusCode = 404;
        }
    }
}
