namespace Firebreak.Cli;

using System.CommandLine;
using Firebreak.Core.Security;

/// <summary>
/// `firebreak tokens create`: an API token made on the store directly, for operators and scripts (collectors, benchmarks)
/// that have no one to sign in. Whoever can run this can read the store anyway, so it adds no power; it is audited.
/// </summary>
internal static class TokensCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "Account the token belongs to (created without a password if missing: it cannot sign in until invited)", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "Comma-separated: read, write, ingest", DefaultValueFactory = _ => "ingest" };
        var role = new Option<string>("--role") { Description = "Role given in the workspace when the account is not a member yet (viewer, responder, manager, admin, owner)", DefaultValueFactory = _ => "responder" };
        var name = new Option<string>("--name") { Description = "A name to recognise the token by", DefaultValueFactory = _ => "cli" };
        var days = new Option<int?>("--expires-in-days") { Description = "Expiry (default: none)" };
        var create = new Option<bool>("--create-workspace") { Description = "Create the workspace if it does not exist" };
        var add = new Command("create", "Create an API token; prints only the token (shown once) on standard output.") { email, FirebreakCli.Workspace, scopes, role, name, days, create };
        add.SetAction(async (result, ct) =>
        {
            if (ApiToken.ParseScopes([result.GetValue(scopes)!]) is not { } parsed)
            {
                throw new CliException("--scopes takes read, write and ingest, comma-separated.");
            }

            if (!Enum.TryParse<WorkspaceRole>(result.GetValue(role), ignoreCase: true, out var wanted) || !Enum.IsDefined(wanted))
            {
                throw new CliException("--role is one of viewer, responder, manager, admin, owner.");
            }

            await using var engine = await LocalEngine.OpenAsync(result);
            var workspace = await engine.RequireWorkspaceAsync(result.GetValue(FirebreakCli.Workspace)!, result.GetValue(create), ct);
            var address = Account.NormaliseEmail(result.GetValue(email)!);
            var account = await engine.Accounts.FindByEmailAsync(address, ct)
                ?? await engine.Accounts.CreateAsync(address, address.Split('@')[0], null, instanceAdmin: false, ct)
                ?? throw new CliException($"Could not create the account {address}.");
            if (await engine.Accounts.GetRoleAsync(workspace.Id, account.Id, ct) is { } existing)
            {
                Console.Error.WriteLine($"{address} is already {existing} in '{workspace.Slug}'; the token acts with that role.");
            }
            else
            {
                await engine.Accounts.SetMembershipAsync(workspace.Id, account.Id, wanted, ct);
                Console.Error.WriteLine($"{address} is now {wanted} in '{workspace.Slug}'.");
            }

            var expires = result.GetValue(days) is { } d ? engine.Clock.GetUtcNow().AddDays(d) : (DateTimeOffset?)null;
            var created = await engine.AccountService.CreateTokenAsync(new Actor(null, "cli (operator)", null), account.Id, result.GetValue(name)!, parsed, workspace.Id, expires, ct);
            Console.WriteLine(created.Secret);
            return 0;
        });
        var command = new Command("tokens", "API tokens for scripts and collectors.");
        command.Subcommands.Add(add);
        return command;
    }
}
