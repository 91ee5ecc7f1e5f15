namespace Firebreak.Web.Tests.Api;

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Firebreak.Core.Connectors.TikTok;
using Microsoft.Extensions.DependencyInjection;

/// <summary>TikTok's webhook on a real host, called anonymously as TikTok calls it: the signed authorization.removed revokes the connection at once.</summary>
public sealed class TikTokWebhookApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string ClientKey = "bwo2m45353a6k85";
    private const string Secret = "tiktok-client-secret-for-tests";

    [Fact]
    public async Task AuthorizationRemoved_SignedByOurApp_RevokesTheConnectionWithThatOpenId_AndNothingElse()
    {
        var options = host.Services.GetRequiredService<TikTokOptions>();
        options.ClientKey = ClientKey;
        options.ClientSecret = Secret;
        var ws = await host.NewWorkspaceAsync();
        var openId = "act.example" + Guid.NewGuid().ToString("N");
        foreach (var handle in new[] { openId, "act.someone-else" })
        {
            Assert.Equal(HttpStatusCode.Created, (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/connections", new { platform = "tiktok", handle, baseUri = "https://open.tiktokapis.com/", token = "act.token" })).StatusCode);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes($$"""{"client_key":"{{ClientKey}}","event":"authorization.removed","create_time":{{now}},"user_openid":"{{openId}}","content":"{\"reason\": 1 }"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(body, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(body, Sign("not-the-secret", now, body))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(body, Sign(Secret, now - 3600, body))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(Encoding.UTF8.GetBytes("{\"tampered\":1}"), Sign(Secret, now, body))).StatusCode);
        Assert.All(await StatesAsync(ws), s => Assert.Equal("active", s.State));

        var first = await PostAsync(body, Sign(Secret, now, body));
        var again = await PostAsync(body, Sign(Secret, now, body));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("revoked").GetInt32());
        var states = (await StatesAsync(ws)).ToDictionary(s => s.Handle, s => s.State);
        Assert.Equal("revoked", states[openId]);
        Assert.Equal("active", states["act.someone-else"]);

        var otherApp = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace(ClientKey, "another-app", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(otherApp, Sign(Secret, now, otherApp))).StatusCode);
        var huge = new byte[TikTokWebhook.MaxBodyBytes + 1];
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(huge, Sign(Secret, now, huge))).StatusCode);
    }

    private static string Sign(string secret, long t, byte[] body) =>
        $"t={t.ToString(CultureInfo.InvariantCulture)},s=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.").Concat(body).ToArray()));

    private async Task<IReadOnlyList<(string Handle, string State)>> StatesAsync(string ws)
    {
        var list = await host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{ws}/connections");
        return [.. list.EnumerateArray().Select(c => (c.GetProperty("handle").GetString()!, c.GetProperty("state").GetString()!))];
    }

    private Task<HttpResponseMessage> PostAsync(byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/tiktok") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (signature is not null)
        {
            request.Headers.Add("TikTok-Signature", signature);
        }

        return host.Anonymous.SendAsync(request);
    }
}
