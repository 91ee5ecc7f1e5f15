namespace Firebreak.Cli;

using System.CommandLine;
using Firebreak.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Address to listen on", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIREBREAK_URLS") ?? "http://127.0.0.1:5080" };
        var demo = new Option<bool>("--demo") { Description = "Create the demo workspace and stream the airline-crisis scenario into it" };
        var speed = new Option<double>("--demo-speed") { Description = "Replay speed of the demo's live stream (1 = real time)", DefaultValueFactory = _ => 1 };
        var crisis = new Option<double>("--demo-crisis-after") { Description = "Minutes after start when the demo's crisis burst begins", DefaultValueFactory = _ => 3 };
        var command = new Command("serve", "Run the API and live overview (and, with --demo, the demo workspace).") { urls, demo, speed, crisis };
        command.SetAction(async (result, ct) =>
        {
            var options = new FirebreakOptions
            {
                DataDirectory = result.GetValue(FirebreakCli.Data)!,
                Urls = result.GetValue(urls)!,
                Demo = result.GetValue(demo),
                DemoSpeed = result.GetValue(speed),
                DemoCrisisAfterMinutes = result.GetValue(crisis),
                RabbitMq = result.GetValue(FirebreakCli.RabbitMq),
                RabbitMqPrefix = result.GetValue(FirebreakCli.RabbitMqPrefix)!,
                PostgresConnectionString = result.GetValue(FirebreakCli.Postgres),
                MetricsToken = result.GetValue(FirebreakCli.MetricsToken),
            };
            await using var app = await FirebreakHost.BuildAsync(options);
            await app.StartAsync(ct);
            foreach (var url in app.Urls)
            {
                Console.WriteLine($"Firebreak is listening on {url}  (API: {url}/api/workspaces, OpenAPI: {url}/openapi/v1.json, metrics: {url}/metrics)");
            }

            // First run: the one way in is the setup link (its token is also in the data folder), so nobody else on the
            // network can claim the instance first.
            if (app.Services.GetRequiredService<Web.Auth.SetupToken>().Value is { } token)
            {
                Console.WriteLine($"First run: open {app.Urls.First()}/setup?token={token} to create the owner account.");
            }

            var store = app.Services.GetRequiredService<Storage.IStoreDatabase>();
            Console.WriteLine($"Store: {store.Provider} at {store.Location}{(options.Demo ? "; demo workspace 'demo' is filling up" : string.Empty)}. Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
