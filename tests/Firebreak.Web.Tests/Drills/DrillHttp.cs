namespace Firebreak.Web.Tests.Drills;

using System.Net.Http.Json;
using System.Text.Json;

/// <summary>What the drill API tests share: a POST that must succeed, and waiting for what the drill's clock brings.</summary>
internal static class DrillHttp
{
    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls until <paramref name="probe"/> finds something; 45 s is far beyond a drill at 240× (a burst in under a second).</summary>
    public static async Task<JsonElement> WaitForAsync(Func<Task<JsonElement?>> probe, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(45);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
    }
}
