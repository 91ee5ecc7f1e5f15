namespace Firebreak.Web.Tests.Api;

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

/// <summary>Meta's webhook on a real host, called anonymously as Meta calls it: handshake, signature, size bound, retries.</summary>
public sealed class MetaWebhookApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Webhook_HandshakeSignatureAndRetries_OnARealHost()
    {
        var ws = await host.NewWorkspaceAsync();
        var pageId = "1049" + Random.Shared.NextInt64(100_000_000, 999_999_999);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var verify = "verify-" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.Created, (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/connections", new { platform = "facebook", handle = pageId, baseUri = "https://graph.facebook.com", token = "EAAPageToken" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/connections", new { platform = "other", handle = "meta-app", baseUri = "https://graph.facebook.com", token = secret, refreshToken = verify })).StatusCode);

        var handshake = await host.Anonymous.GetAsync($"/api/webhooks/meta?hub.mode=subscribe&hub.verify_token={verify}&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        Assert.Equal("1158201444", await handshake.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Anonymous.GetAsync("/api/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")).StatusCode);

        var at = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes($$$"""{"object":"page","entry":[{"id":"{{{pageId}}}","time":{{{at}}},"changes":[{"field":"feed","value":{"from":{"id":"6098","name":"Ana"},"message":"refund?? 😡","post_id":"{{{pageId}}}_1","comment_id":"1_777","created_time":{{{at}}},"item":"comment","parent_id":"{{{pageId}}}_1","verb":"add"}}]}]}""");

        var first = await PostAsync(body, Sign(secret, body));
        var retry = await PostAsync(body, Sign(secret, body));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("inserted").GetInt32());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement.GetProperty("inserted").GetInt32());

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(body, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(body, Sign("not-the-secret", body))).StatusCode);
        var huge = new byte[(1024 * 1024) + 1];
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(huge, Sign(secret, huge))).StatusCode);
    }

    private static string Sign(string secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private Task<HttpResponseMessage> PostAsync(byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/meta") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return host.Anonymous.SendAsync(request);
    }
}
