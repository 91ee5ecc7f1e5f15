namespace Firebreak.Storage.Tests.Connectors;

using System.Net;
using System.Net.Sockets;
using Firebreak.Core.Connectors;
using Microsoft.AspNetCore.Http;

/// <summary>
/// Which failed calls <see cref="ConnectorHttp"/> sends again. A read may always be repeated; a POST that may have reached
/// the platform (timeout, 5xx) must not be, or a reply whose answer was lost would be posted twice.
/// </summary>
public sealed class ConnectorHttpRepeatTests
{
    private static readonly ConnectorHttpOptions Options = new() { BaseBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 3, Timeout = TimeSpan.FromSeconds(2) };

    [Theory]
    [InlineData("GET", false, 3)]
    [InlineData("POST", false, 1)]
    [InlineData("POST", true, 3)]
    public async Task ServerError_ReadsAndRepeatablePostsAreTriedAgain_OtherPostsOnce(string method, bool repeatable, int expectedCalls)
    {
        await using var stub = await StubServer.StartAsync(c =>
        {
            c.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        var http = new ConnectorHttp(new HttpClient(), Options, TimeProvider.System);

        var e = await Assert.ThrowsAsync<ConnectorException>(() => http.SendAsync("test", () =>
        {
            var message = new HttpRequestMessage(new HttpMethod(method), new Uri(stub.BaseUri, "2/tweets")) { Content = method == "POST" ? new StringContent("{}") : null };
            return repeatable ? ConnectorHttp.Repeatable(message) : message;
        }, CancellationToken.None));

        Assert.Equal(FailureKind.Transient, e.Kind);
        Assert.Equal(expectedCalls, stub.Requests.Count);
        Assert.Equal(method == "POST" && !repeatable, e.Message.Contains("not repeated automatically", StringComparison.Ordinal));
        Assert.Equal(method == "POST" && !repeatable, e.Uncertain);
    }

    [Fact]
    public async Task AnswerLostToTimeout_PostIsNotSentAgain()
    {
        await using var stub = await StubServer.StartAsync(async c => await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted).ContinueWith(_ => { }));
        var http = new ConnectorHttp(new HttpClient(), new ConnectorHttpOptions { BaseBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 3, Timeout = TimeSpan.FromMilliseconds(300) }, TimeProvider.System);

        var e = await Assert.ThrowsAsync<ConnectorException>(() => http.SendAsync("test", () => new HttpRequestMessage(HttpMethod.Post, new Uri(stub.BaseUri, "2/tweets")) { Content = new StringContent("{}") }, CancellationToken.None));

        Assert.Equal(FailureKind.Transient, e.Kind);
        Assert.True(e.Uncertain);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task RateLimited_PostIsTriedAgain_BecauseThePlatformRefusedBeforeActing()
    {
        var calls = 0;
        await using var stub = await StubServer.StartAsync(c =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                c.Response.StatusCode = 429;
                c.Response.Headers.RetryAfter = "0";
                return Task.CompletedTask;
            }

            return c.Response.WriteAsync("{\"data\":{\"id\":\"1\"}}");
        });
        var http = new ConnectorHttp(new HttpClient(), Options, TimeProvider.System);

        var response = await http.SendAsync("test", () => new HttpRequestMessage(HttpMethod.Post, new Uri(stub.BaseUri, "2/tweets")) { Content = new StringContent("{}") }, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public void ConnectionNeverOpened_PostMayBeRepeated_ButNotOtherFailures()
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:9/");
        Assert.True(ConnectorHttp.MayRepeat(post, new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.False(ConnectorHttp.MayRepeat(post, new HttpRequestException(HttpRequestError.ResponseEnded, "the answer broke off")));
        Assert.False(ConnectorHttp.MayRepeat(post, new TaskCanceledException("timeout")));
        using var get = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:9/");
        Assert.True(ConnectorHttp.MayRepeat(get, new TaskCanceledException("timeout")));
    }
}
