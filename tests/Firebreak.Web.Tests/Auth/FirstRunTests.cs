namespace Firebreak.Web.Tests.Auth;

using System.Net;
using System.Net.Http.Json;
using Firebreak.Tests.Shared;
using Firebreak.Web.Auth;
using Firebreak.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

public sealed class FirstRunTests
{
    [Fact]
    public async Task Setup_NeedsTheTokenFromTheDataFolder_AndVoidsIt()
    {
        var data = Directory.CreateTempSubdirectory("firebreak-setup-");
        await using var app = await FirebreakHost.BuildAsync(new FirebreakOptions { DataDirectory = data.FullName, Urls = "http://127.0.0.1:0" }, s => s.AddSingleton(new Core.Security.PasswordHashOptions { Iterations = 1_000 }));
        await app.StartAsync();
        try
        {
            var file = Path.Combine(data.FullName, SetupToken.FileName);
            var token = (await File.ReadAllTextAsync(file)).Trim();
            Assert.Equal(app.Services.GetRequiredService<SetupToken>().Value, token);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            using var client = TestAccounts.NewSession(new Uri(app.Urls.First()));
            var body = new { token = "guessed", email = "me@example.com", displayName = "Me", password = "violet tuesday ferry seventy" };
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/account/setup", body)).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/account/setup", body with { token = token, password = "password" })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/account/setup", body with { token = token })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account")).StatusCode);
            Assert.False(File.Exists(file));
            Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/account/setup", body with { token = token, email = "second@example.com" })).StatusCode);
        }
        finally
        {
            await app.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }
}
