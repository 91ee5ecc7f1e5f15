namespace Firebreak.Web.Hosting;

using System.Xml.Linq;
using Firebreak.Storage.Postgres;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

/// <summary>
/// ASP.NET Core Data Protection (sign-in cookies, anti-forgery tokens, protected secrets) with one key ring for
/// the whole deployment: in the PostgreSQL store when there is one, so every web node can read what another
/// wrote (a cookie issued by node A must open on node B behind a load balancer); in the data folder otherwise.
/// </summary>
public static class SharedDataProtection
{
    /// <summary>The application name every node shares; keys are isolated per application name.</summary>
    public const string ApplicationName = "Firebreak";

    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services, FirebreakOptions options)
    {
        var builder = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (options.PostgresConnectionString is { Length: > 0 })
        {
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
                keys => keys.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<PostgresDatabase>())));
        }
        else
        {
            builder.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys")));
        }

        return services;
    }
}

/// <summary>
/// Data Protection's key ring in the <c>data_protection_keys</c> table (PostgreSQL migration 4). The interface is
/// synchronous, so are these calls; they run when a node starts and when a key is created (every 90 days).
/// </summary>
internal sealed class PostgresXmlRepository(PostgresDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.DataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys ORDER BY id";
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.DataSource.OpenConnection();
        using var command = connection.CreateCommand();
        // Two nodes may create a key at the same moment; both keys are kept (the ring holds several) and
        // the friendly name (the key id) is unique, so a retried store is not duplicated.
        command.CommandText = "INSERT INTO data_protection_keys (friendly_name, xml) VALUES ($1, $2) ON CONFLICT (friendly_name) DO NOTHING";
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}
