namespace Firebreak.Web.Tests.Drills;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firebreak.Core.Mentions;
using Firebreak.Core.Wellbeing;
using Firebreak.Core.Workspaces;
using Firebreak.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

/// <summary>An incident's advocates through the API: analysed mentions on a real host, ranked; muted authors and one offensive post leave people out.</summary>
public sealed class AdvocatesApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Advocates_AreTrustedPositiveHighReachAuthors_MutedOnesLeftOut()
    {
        var ws = await host.NewWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        object Post(string id, string handle, long followers, string text, int minutesAgo) =>
            new { platform = "x", externalId = id, kind = "post", author = new { handle, followers }, text, language = "en", createdAt = now.AddMinutes(-minutesAgo) };
        var ingest = await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/ingest", new[]
        {
            Post("f1", "travel_queen", 820_000, "I love Aurora Air, the crew were wonderful and so kind. Best flight ever, thank you!", 300),
            Post("f2", "travel_queen", 820_000, "Amazing service again from Aurora Air, great people, highly recommend. Thank you!", 200),
            Post("s1", "steady_fan", 40_000, "Great flight with Aurora Air today, lovely crew, thank you so much!", 250),
            Post("s2", "steady_fan", 40_000, "Excellent service from Aurora Air, wonderful and helpful staff. Love it!", 150),
            Post("t1", "tiny_fan", 300, "I love Aurora Air, wonderful crew, thank you!", 100),
            Post("t2", "tiny_fan", 300, "Great flight, amazing service, thank you Aurora Air!", 90),
            Post("m1", "muted_fan", 90_000, "Wonderful Aurora Air crew, thank you, love them!", 80),
            Post("m2", "muted_fan", 90_000, "Great service and amazing staff at Aurora Air, thank you!", 70),
            Post("n1", "angry_one", 500_000, "Aurora Air lost my bag, terrible awful service, never again.", 60),
        });
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        var workspace = (await host.Services.GetRequiredService<IWorkspaceStore>().FindAsync(ws, CancellationToken.None))!;
        Assert.True(await host.Services.GetRequiredService<MutedAuthors>().MuteAsync(workspace.Id, Platform.X, "muted_fan", "test", CancellationToken.None));
        var incident = await (await host.Client.PostAsJsonAsync($"/api/workspaces/{ws}/incidents", new { title = "Bag handling", severity = "sev3" })).Content.ReadFromJsonAsync<JsonElement>();
        var api = $"/api/workspaces/{ws}/incidents/{incident.GetProperty("id").GetInt64()}/advocates";

        var advocates = await host.Client.GetFromJsonAsync<JsonElement>(api);
        var handles = advocates.EnumerateArray().Select(a => a.GetProperty("handle").GetString()).ToList();
        Assert.Equal(["travel_queen", "steady_fan"], handles);
        var first = advocates[0];
        Assert.Equal((2, 820_000L), (first.GetProperty("positive").GetInt32(), first.GetProperty("followers").GetInt64()));
        Assert.Equal("820k followers × 2 positive of 2 mentions", first.GetProperty("why").GetString());
        Assert.StartsWith("f", first.GetProperty("best").GetProperty("externalId").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.GetAsync($"{api}?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/workspaces/{ws}/incidents/999999/advocates")).StatusCode);
    }
}
