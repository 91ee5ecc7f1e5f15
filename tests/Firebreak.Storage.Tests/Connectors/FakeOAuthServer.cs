namespace Firebreak.Storage.Tests.Connectors;

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

/// <summary>
/// An OAuth 2 authorization server as the platforms document theirs (RFC 6749 §4.1 and §6, RFC 7636 PKCE), with the
/// checks they make: the client id on the authorize request (<c>client_key</c> for TikTok), the client authenticated by
/// HTTP Basic or by form fields as the platform requires (never both missing, never the wrong secret), the code used
/// once, the redirect URI equal to the authorize request's, the PKCE verifier hashing to the challenge. Anything else
/// is refused in the documented error shape (<c>{"error": "invalid_grant", "error_description": …}</c>). Identity
/// routes answer the platform's JSON only to the current access token. The "person" consents at once: the authorize
/// URL answers 302 to the redirect URI with the code and the state.
/// </summary>
internal sealed class FakeOAuthServer
{
    private readonly ConcurrentDictionary<string, (string Redirect, string? Challenge)> codes = new();
    private int issued;

    public required string AuthorizePath { get; init; }

    public required string TokenPath { get; init; }

    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    public string ClientIdField { get; init; } = "client_id";

    public bool BasicAuth { get; init; }

    /// <summary>True: refresh answers carry a new refresh token and the old one stops working (X, TikTok); false: none (Google, LinkedIn).</summary>
    public bool Rotates { get; init; } = true;

    /// <summary>The token response body for (access, refresh or null, is this a refresh).</summary>
    public required Func<string, string?, bool, string> TokenJson { get; init; }

    /// <summary>Identity and account routes: path → JSON, answered to the current access token only.</summary>
    public Dictionary<string, string> Routes { get; } = [];

    /// <summary>Answers the token endpoint gives before normal service (status, body).</summary>
    public ConcurrentQueue<(int Status, string Body)> ScriptedToken { get; } = new();

    public string? Access { get; private set; }

    public string? Refresh { get; private set; }

    /// <summary>The authorize requests' query strings, as the person's browser sent them.</summary>
    public List<string> Authorizations { get; } = [];

    /// <summary>Why the server refused something (for the test's messages).</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path == AuthorizePath && context.Request.Method == "GET")
        {
            Authorize(context);
            return;
        }

        if (path == TokenPath && context.Request.Method == "POST")
        {
            await TokenAsync(context);
            return;
        }

        if (Routes.TryGetValue(path, out var json))
        {
            if (Access is null || context.Request.Headers.Authorization.ToString() != "Bearer " + Access)
            {
                await StubServer.JsonAsync(context, """{"error":"invalid_token"}""", 401);
                return;
            }

            await StubServer.JsonAsync(context, json);
            return;
        }

        context.Response.StatusCode = 404;
    }

    public static string Base64UrlSha256(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private void Authorize(HttpContext context)
    {
        var q = context.Request.Query;
        Authorizations.Add(context.Request.QueryString.Value ?? string.Empty);
        if (q["response_type"] != "code" || q[ClientIdField] != ClientId || string.IsNullOrEmpty(q["redirect_uri"]) || string.IsNullOrEmpty(q["scope"]) || string.IsNullOrEmpty(q["state"]))
        {
            Refusals.Enqueue("authorize: missing response_type=code, " + ClientIdField + ", redirect_uri, scope or state");
            context.Response.StatusCode = 400;
            return;
        }

        string? challenge = null;
        if (!string.IsNullOrEmpty(q["code_challenge"]))
        {
            if (q["code_challenge_method"] != "S256")
            {
                context.Response.StatusCode = 400;
                return;
            }

            challenge = q["code_challenge"];
        }

        var code = "code-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        codes[code] = (q["redirect_uri"]!, challenge);
        context.Response.StatusCode = 302;
        context.Response.Headers.Location = QueryHelpers.AddQueryString(q["redirect_uri"]!, new Dictionary<string, string?> { ["code"] = code, ["state"] = q["state"] });
    }

    private async Task TokenAsync(HttpContext context)
    {
        if (ScriptedToken.TryDequeue(out var scripted))
        {
            await StubServer.JsonAsync(context, scripted.Body, scripted.Status);
            return;
        }

        var form = await context.Request.ReadFormAsync();
        if (!ClientAuthenticated(context, form))
        {
            await Refuse(context, 401, "invalid_client", "client authentication failed");
            return;
        }

        switch (form["grant_type"].ToString())
        {
            case "authorization_code":
                // A code works once, whatever happens next (RFC 6749 §4.1.2).
                if (!codes.TryRemove(form["code"].ToString(), out var issuedFor))
                {
                    await Refuse(context, 400, "invalid_grant", "the code is unknown or was used already");
                    return;
                }

                if (form["redirect_uri"] != issuedFor.Redirect)
                {
                    await Refuse(context, 400, "invalid_grant", "redirect_uri differs from the authorize request's");
                    return;
                }

                if (issuedFor.Challenge is { } challenge && (form["code_verifier"].ToString() is not { Length: >= 43 } verifier || Base64UrlSha256(verifier) != challenge))
                {
                    await Refuse(context, 400, "invalid_grant", "code_verifier does not match the code_challenge");
                    return;
                }

                Issue(newRefresh: true);
                await StubServer.JsonAsync(context, TokenJson(Access!, Refresh, false));
                return;
            case "refresh_token":
                if (Refresh is null || form["refresh_token"] != Refresh)
                {
                    await Refuse(context, 400, "invalid_grant", "the refresh token is unknown, rotated or revoked");
                    return;
                }

                Issue(newRefresh: Rotates);
                await StubServer.JsonAsync(context, TokenJson(Access!, Rotates ? Refresh : null, true));
                return;
            default:
                await Refuse(context, 400, "unsupported_grant_type", form["grant_type"].ToString());
                return;
        }
    }

    private bool ClientAuthenticated(HttpContext context, IFormCollection form)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (BasicAuth)
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
            return header == expected && !form.ContainsKey("client_secret");
        }

        return header.Length == 0 && form[ClientIdField] == ClientId && form["client_secret"] == ClientSecret;
    }

    private void Issue(bool newRefresh)
    {
        var n = Interlocked.Increment(ref issued);
        Access = $"access-{n}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}";
        if (newRefresh)
        {
            Refresh = $"refresh-{n}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}";
        }
    }

    private Task Refuse(HttpContext context, int status, string error, string description)
    {
        Refusals.Enqueue($"{error}: {description}");
        return StubServer.JsonAsync(context, JsonSerializer.Serialize(new { error, error_description = description }), status);
    }
}
