namespace Firebreak.Cluster.Tests;

using System.Diagnostics;

/// <summary>
/// The real servers the cluster tests talk to, found through the variables `scripts/test-services` prints
/// (CI sets them). Without them the tests that need a server are reported as skipped, never as passed.
/// </summary>
internal static class TestServers
{
    public static string? RabbitMq => Environment.GetEnvironmentVariable("FIREBREAK_TEST_RABBITMQ") is { Length: > 0 } v ? v : null;

    public static string? Postgres => Environment.GetEnvironmentVariable("FIREBREAK_TEST_POSTGRES") is { Length: > 0 } v ? v : null;

    /// <summary>A RabbitMQ node only the fault tests use (they restart it), so parallel tests are not disturbed.</summary>
    public static string? FaultsRabbitMq => Environment.GetEnvironmentVariable("FIREBREAK_TEST_FAULTS_RABBITMQ") is { Length: > 0 } v ? v : null;

    /// <summary>A PostgreSQL server only the fault tests use (they restart it).</summary>
    public static string? FaultsPostgres => Environment.GetEnvironmentVariable("FIREBREAK_TEST_FAULTS_POSTGRES") is { Length: > 0 } v ? v : null;

    public static string? RabbitMqRestart => Environment.GetEnvironmentVariable("FIREBREAK_TEST_RABBITMQ_RESTART") is { Length: > 0 } v ? v : null;

    public static string? PostgresRestart => Environment.GetEnvironmentVariable("FIREBREAK_TEST_POSTGRES_RESTART") is { Length: > 0 } v ? v : null;

    /// <summary>Runs a restart command from the environment (e.g. `rabbitmqctl stop_app && rabbitmqctl start_app`).</summary>
    public static async Task RunAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"'{command}' failed ({process.ExitCode}): {output}");
    }
}

/// <summary>A fact that needs RabbitMQ (FIREBREAK_TEST_RABBITMQ); skipped, visibly, without it.</summary>
internal sealed class RabbitFactAttribute : FactAttribute
{
    public RabbitFactAttribute(bool needsRestart = false, bool needsPostgresRestart = false, bool needsPostgres = false)
    {
        if (TestServers.RabbitMq is null)
        {
            Skip = "No RabbitMQ: set FIREBREAK_TEST_RABBITMQ (eval \"$(scripts/test-services)\").";
        }
        else if (needsPostgres && TestServers.Postgres is null)
        {
            Skip = "No PostgreSQL: set FIREBREAK_TEST_POSTGRES (eval \"$(scripts/test-services)\").";
        }
        else if (needsPostgresRestart && (TestServers.Postgres is null || TestServers.PostgresRestart is null))
        {
            Skip = "No PostgreSQL to restart: set FIREBREAK_TEST_POSTGRES and FIREBREAK_TEST_POSTGRES_RESTART.";
        }
        else if (needsRestart && TestServers.RabbitMqRestart is null)
        {
            Skip = "No way to restart RabbitMQ: set FIREBREAK_TEST_RABBITMQ_RESTART.";
        }
    }
}

/// <summary>A fact that needs PostgreSQL (FIREBREAK_TEST_POSTGRES); skipped, visibly, without it.</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestServers.Postgres is null)
        {
            Skip = "No PostgreSQL: set FIREBREAK_TEST_POSTGRES (eval \"$(scripts/test-services)\").";
        }
    }
}
