namespace Firebreak.Web.Endpoints;

using Firebreak.Core.Security;
using Firebreak.Web.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

public sealed record SetupRequest(string? Token, string? Email, string? DisplayName, string? Password);

public sealed record SignInRequest(string? Email, string? Password, bool Remember = false);

public sealed record CodeRequest(string? Code);

public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

public sealed record PasswordRequest(string? Password);

public sealed record InvitationRequest(string? Token, string? Password, string? DisplayName);

public sealed record CreateTokenRequest(string? Name, string[]? Scopes, string? Workspace, int? ExpiresInDays);

public sealed record SignInResult(string Outcome);

public sealed record MeDto(long Id, string Email, string DisplayName, bool TwoFactorEnabled, bool InstanceAdmin, int RecoveryCodesLeft, WorkspaceRoleDto[] Workspaces);

public sealed record WorkspaceRoleDto(string Slug, string Name, string Role);

public sealed record TokenDto(long Id, string Name, string Prefix, string[] Scopes, string? Workspace, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

public sealed record CreatedTokenDto(string Token, TokenDto Details);

/// <summary>/api/account: setup, sign-in, the signed-in person's profile, two-factor, recovery codes and API tokens.</summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccountEndpoints(this RouteGroupBuilder api)
    {
        var account = api.MapGroup("/account").WithTags("Account");
        account.MapGet("/csrf", Csrf).WithName("GetCsrfToken").AllowAnonymousAccess()
            .WithSummary("The anti-forgery token a cookie session sends as X-CSRF-TOKEN on every change (bearer tokens need none).");
        account.MapGet("/setup", (SignInFlow flow) => TypedResults.Ok(new { needsSetup = flow.NeedsSetup })).WithName("SetupStatus").AllowAnonymousAccess();
        account.MapPost("/setup", SetupAsync).WithName("CreateOwner").AllowAnonymousAccess()
            .WithSummary("First run only: creates the owner account with the setup token printed at start, and signs it in.");
        account.MapPost("/signin", SignInAsync).WithName("SignIn").AllowAnonymousAccess();
        account.MapPost("/signin/two-factor", SecondFactorAsync).WithName("SignInSecondFactor").AllowAnonymousAccess()
            .WithSummary("A 6-digit code from the authenticator app, or a recovery code.");
        account.MapPost("/invitation", AcceptInvitationAsync).WithName("AcceptInvitation").AllowAnonymousAccess()
            .WithSummary("An invited person sets their password with the token from their invitation link.");
        account.MapPost("/signout", SignOutAsync).WithName("SignOut").RequireAccount().SkipAudit();
        account.MapGet("/", MeAsync).WithName("GetAccount").RequireAccount();
        account.MapPost("/password", ChangePasswordAsync).WithName("ChangePassword").RequireAccount().SkipAudit();
        account.MapPost("/two-factor/begin", BeginTwoFactorAsync).WithName("BeginTwoFactor").RequireAccount().SkipAudit();
        account.MapPost("/two-factor/confirm", ConfirmTwoFactorAsync).WithName("ConfirmTwoFactor").RequireAccount().SkipAudit();
        account.MapPost("/two-factor/disable", DisableTwoFactorAsync).WithName("DisableTwoFactor").RequireAccount().SkipAudit();
        account.MapPost("/two-factor/recovery-codes", RegenerateCodesAsync).WithName("RegenerateRecoveryCodes").RequireAccount().SkipAudit();
        account.MapGet("/tokens", ListTokensAsync).WithName("ListApiTokens").RequireAccount();
        account.MapPost("/tokens", CreateTokenAsync).WithName("CreateApiToken").RequireAccount().SkipAudit()
            .WithSummary("The token is shown once. Scopes: read, write, ingest. Optional workspace restriction and expiry.");
        account.MapDelete("/tokens/{id:long}", RevokeTokenAsync).WithName("RevokeApiToken").RequireAccount().SkipAudit();
        return api;
    }

    public static Ok<object> Csrf(HttpContext http, IAntiforgery antiforgery) =>
        TypedResults.Ok<object>(new { token = antiforgery.GetAndStoreTokens(http).RequestToken, headerName = "X-CSRF-TOKEN" });

    public static async Task<Results<Created<SignInResult>, ProblemHttpResult>> SetupAsync(SetupRequest request, HttpContext http, SignInFlow flow, CancellationToken ct)
    {
        var (outcome, problem) = await flow.CreateOwnerAsync(http, request.Token ?? string.Empty, request.Email ?? string.Empty, request.DisplayName ?? string.Empty, request.Password ?? string.Empty, ct);
        return outcome switch
        {
            SetupOutcome.Created => TypedResults.Created("/api/account", new SignInResult("signedIn")),
            SetupOutcome.AlreadySetUp => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already set up", detail: problem),
            SetupOutcome.BadToken => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Wrong setup token", detail: problem),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: outcome == SetupOutcome.WeakPassword ? "Password not accepted" : "Invalid", detail: problem),
        };
    }

    public static async Task<Results<Ok<SignInResult>, ProblemHttpResult>> SignInAsync(SignInRequest request, HttpContext http, SignInFlow flow, CancellationToken ct) =>
        Answer(await flow.PasswordAsync(http, request.Email ?? string.Empty, request.Password ?? string.Empty, request.Remember, ct), http);

    public static async Task<Results<Ok<SignInResult>, ProblemHttpResult>> SecondFactorAsync(CodeRequest request, HttpContext http, SignInFlow flow, CancellationToken ct) =>
        Answer(await flow.SecondFactorAsync(http, request.Code ?? string.Empty, ct), http);

    public static async Task<NoContent> SignOutAsync(HttpContext http, SignInFlow flow)
    {
        await flow.SignOutAsync(http);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> AcceptInvitationAsync(InvitationRequest request, HttpContext http, AccountService service, CancellationToken ct) =>
        await service.AcceptInvitationAsync(request.Token ?? string.Empty, request.Password ?? string.Empty, request.DisplayName, http.Connection.RemoteIpAddress?.ToString(), ct) is { } problem
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invitation not accepted", detail: problem)
            : TypedResults.NoContent();

    public static async Task<Results<Ok<MeDto>, ProblemHttpResult>> MeAsync(HttpContext http, IAccountStore accounts, WorkspaceAccess access, CancellationToken ct)
    {
        if (await accounts.GetAsync(http.User.AccountId()!.Value, ct) is not { } account)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in required");
        }

        var workspaces = await access.WorkspacesAsync(http.User, ct);
        return TypedResults.Ok(new MeDto(account.Id, account.Email, account.DisplayName, account.TwoFactorEnabled, account.IsInstanceAdmin, await accounts.CountRecoveryCodesAsync(account.Id, ct),
            [.. workspaces.Select(w => new WorkspaceRoleDto(w.Workspace.Slug, w.Workspace.Name, w.Role.ToString().ToLowerInvariant()))]));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(PasswordChangeRequest request, HttpContext http, AccountService service, CancellationToken ct)
    {
        if (SessionOnly(http) is { } refused)
        {
            return refused;
        }

        return await service.ChangePasswordAsync(http.Actor(), http.User.AccountId()!.Value, request.CurrentPassword ?? string.Empty, request.NewPassword ?? string.Empty, ct) is { } problem
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Password not changed", detail: problem)
            : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<TwoFactorSetup>, ProblemHttpResult>> BeginTwoFactorAsync(HttpContext http, AccountService service, CancellationToken ct) =>
        SessionOnly(http) is { } refused ? refused : TypedResults.Ok(await service.BeginTwoFactorAsync(http.User.AccountId()!.Value, ct));

    public static async Task<Results<Ok<object>, ProblemHttpResult>> ConfirmTwoFactorAsync(CodeRequest request, HttpContext http, AccountService service, CancellationToken ct)
    {
        if (SessionOnly(http) is { } refused)
        {
            return refused;
        }

        var codes = await service.ConfirmTwoFactorAsync(http.Actor(), http.User.AccountId()!.Value, request.Code ?? string.Empty, ct);
        return codes is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Code not accepted", detail: "Start with POST /api/account/two-factor/begin, then send the current 6-digit code from your authenticator app.")
            : TypedResults.Ok<object>(new { recoveryCodes = codes });
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DisableTwoFactorAsync(PasswordRequest request, HttpContext http, AccountService service, CancellationToken ct) =>
        SessionOnly(http) is { } refused ? refused
        : await service.DisableTwoFactorAsync(http.Actor(), http.User.AccountId()!.Value, request.Password ?? string.Empty, ct) ? TypedResults.NoContent()
        : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Password not right", detail: "Confirm with your current password.");

    public static async Task<Results<Ok<object>, ProblemHttpResult>> RegenerateCodesAsync(HttpContext http, AccountService service, CancellationToken ct)
    {
        if (SessionOnly(http) is { } refused)
        {
            return refused;
        }

        return await service.RegenerateRecoveryCodesAsync(http.Actor(), http.User.AccountId()!.Value, ct) is { } codes
            ? TypedResults.Ok<object>(new { recoveryCodes = codes })
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Two-factor is off", detail: "Recovery codes exist only with two-factor authentication on.");
    }

    public static async Task<Ok<TokenDto[]>> ListTokensAsync(HttpContext http, AccountService service, Firebreak.Core.Workspaces.IWorkspaceStore workspaces, CancellationToken ct)
    {
        var slugs = (await workspaces.ListAsync(ct)).ToDictionary(w => w.Id, w => w.Slug);
        return TypedResults.Ok((await service.ListTokensAsync(http.User.AccountId()!.Value, ct)).Select(t => ToDto(t, slugs)).ToArray());
    }

    public static async Task<Results<Created<CreatedTokenDto>, ProblemHttpResult>> CreateTokenAsync(CreateTokenRequest request, HttpContext http, AccountService service, WorkspaceAccess access,
        Firebreak.Core.Workspaces.IWorkspaceStore workspaces, TimeProvider clock, CancellationToken ct)
    {
        if (SessionOnly(http) is { } refused)
        {
            return refused;
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100 || ApiToken.ParseScopes(request.Scopes) is not { } scopes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid token request", detail: "Give a name (at most 100 characters) and scopes from read, write, ingest.");
        }

        long? workspaceId = null;
        if (!string.IsNullOrWhiteSpace(request.Workspace))
        {
            if (await access.RoleAsync(http.User, request.Workspace, ct) is null)
            {
                return Problems.WorkspaceNotFound(request.Workspace);
            }

            workspaceId = (await workspaces.FindAsync(request.Workspace, ct))!.Id;
        }

        if (request.ExpiresInDays is < 1 or > 3650)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid expiry", detail: "expiresInDays is between 1 and 3650, or left out for no expiry.");
        }

        DateTimeOffset? expires = request.ExpiresInDays is { } days ? clock.GetUtcNow().AddDays(days) : null;
        var created = await service.CreateTokenAsync(http.Actor(), http.User.AccountId()!.Value, request.Name, scopes, workspaceId, expires, ct);
        var slugs = workspaceId is { } id ? new Dictionary<long, string> { [id] = request.Workspace! } : [];
        return TypedResults.Created($"/api/account/tokens/{created.Token.Id}", new CreatedTokenDto(created.Secret, ToDto(created.Token, slugs)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(long id, HttpContext http, AccountService service, CancellationToken ct) =>
        await service.RevokeTokenAsync(http.Actor(), http.User.AccountId()!.Value, id, ct) ? TypedResults.NoContent() : Problems.NotFound("Token", id);

    private static TokenDto ToDto(ApiToken t, IReadOnlyDictionary<long, string> slugs) =>
        new(t.Id, t.Name, t.Prefix, ApiToken.ScopeNames(t.Scopes).Split(' ', StringSplitOptions.RemoveEmptyEntries), t.WorkspaceId is { } w && slugs.TryGetValue(w, out var slug) ? slug : null,
            t.ExpiresAt, t.CreatedAt, t.LastUsedAt, t.RevokedAt);

    // Credentials (password, second factor, tokens) are managed by the person in a session, never by a token: a leaked
    // token must not be able to mint more tokens or lock its owner out.
    private static ProblemHttpResult? SessionOnly(HttpContext http) => http.User.Scopes() is null ? null
        : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Session required", detail: "Manage credentials from a signed-in session, not with an API token.");

    private static Results<Ok<SignInResult>, ProblemHttpResult> Answer(SignInOutcome outcome, HttpContext http)
    {
        switch (outcome)
        {
            case SignInOutcome.SignedIn:
                return TypedResults.Ok(new SignInResult("signedIn"));
            case SignInOutcome.NeedsTwoFactor:
                return TypedResults.Ok(new SignInResult("needsTwoFactor"));
            case SignInOutcome.RateLimited:
                http.Response.Headers.RetryAfter = "60";
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts", detail: "Wait a minute before trying again.");
            case SignInOutcome.LockedOut:
                return TypedResults.Problem(statusCode: StatusCodes.Status423Locked, title: "Locked", detail: "Too many failed attempts: this account is locked for a while. Try again later.");
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "The e-mail address or the password (or code) is not right.");
        }
    }
}
