using Xunit.Abstractions;
using Xunit.Sdk;

namespace Firebreak.Storage.Tests;

/// <summary>The store a data test runs against. SQLite always; PostgreSQL when FIREBREAK_TEST_POSTGRES names a server.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where the PostgreSQL test server is (scripts/test-services prints the export).</summary>
internal static class PostgresServer
{
    public const string Variable = "FIREBREAK_TEST_POSTGRES";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static string SkipReason => $"{Variable} is not set: no PostgreSQL server to test against (run scripts/test-services)";
}

/// <summary>Marks a test class whose tests run against PostgreSQL; its <see cref="StoreFactAttribute"/> tests are skipped without a server.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;

/// <summary>A data test shared by both providers: skipped, not passed, when its class needs PostgreSQL and no server is configured.</summary>
[XunitTestCaseDiscoverer("Firebreak.Storage.Tests.StoreFactDiscoverer", "Firebreak.Storage.Tests")]
public sealed class StoreFactAttribute : FactAttribute;

/// <inheritdoc cref="StoreFactAttribute"/>
[XunitTestCaseDiscoverer("Firebreak.Storage.Tests.StoreTheoryDiscoverer", "Firebreak.Storage.Tests")]
public sealed class StoreTheoryAttribute : TheoryAttribute;

/// <summary>A PostgreSQL-only test: skipped when no server is configured.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.ConnectionString is null)
        {
            Skip = PostgresServer.SkipReason;
        }
    }
}

public sealed class StoreFactDiscoverer(IMessageSink sink) : FactDiscoverer(sink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        SkippedStoreTestCase.IsSkipped(testMethod)
            ? [new SkippedStoreTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class StoreTheoryDiscoverer(IMessageSink sink) : TheoryDiscoverer(sink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        SkippedStoreTestCase.IsSkipped(testMethod)
            ? [new SkippedStoreTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

/// <summary>A shared data test in a PostgreSQL class, reported as skipped because no server is configured.</summary>
public sealed class SkippedStoreTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippedStoreTestCase()
    {
    }

    public SkippedStoreTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
        : base(sink, display, options, testMethod)
    {
    }

    public static bool IsSkipped(ITestMethod testMethod) =>
        PostgresServer.ConnectionString is null && testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();

    protected override string GetSkipReason(IAttributeInfo factAttribute) => PostgresServer.SkipReason;
}
