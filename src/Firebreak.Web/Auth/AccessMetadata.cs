namespace Firebreak.Web.Auth;

using Firebreak.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

/// <summary>What an /api endpoint requires. Every /api endpoint carries exactly one; one without any is refused (fail closed).</summary>
public abstract record AccessRequirement;

/// <summary>At least <see cref="Role"/> in the {workspace} of the route. <see cref="Ingest"/>: an ingest-scoped token suffices.</summary>
public sealed record WorkspaceRoleRequirement(WorkspaceRole Role, bool Ingest = false) : AccessRequirement;

/// <summary>Any signed-in account (their own profile, tokens, creating a workspace); <see cref="InstanceAdmin"/>: the instance's administrators only.</summary>
public sealed record AccountRequirement(bool InstanceAdmin = false) : AccessRequirement;

/// <summary>No sign-in needed (sign-in itself, first-run setup, accepting an invitation).</summary>
public sealed record AnonymousAccess : AccessRequirement;

/// <summary>The handler records its own, more specific audit entry (or the call is data, not a change of configuration).</summary>
public sealed record SkipAudit;

public static class AccessConventions
{
    public static TBuilder RequireWorkspaceRole<TBuilder>(this TBuilder builder, WorkspaceRole role, bool ingest = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new WorkspaceRoleRequirement(role, ingest));

    public static TBuilder RequireAccount<TBuilder>(this TBuilder builder, bool instanceAdmin = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccountRequirement(instanceAdmin));

    public static TBuilder AllowAnonymousAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnonymousAccess()).AllowAnonymous();

    public static TBuilder SkipAudit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SkipAudit());
}
