namespace Firebreak.Core.Tests.Security;

using System.Security.Cryptography;
using System.Text;
using Firebreak.Core.Security;

public sealed class TotpTests
{
    private static readonly byte[] Sha1Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Seed = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    // RFC 6238 Appendix B (8 digits).
    [Theory]
    [InlineData(59L, "94287082", "46119246", "90693936")]
    [InlineData(1111111109L, "07081804", "68084774", "25091201")]
    [InlineData(1111111111L, "14050471", "67062674", "99943326")]
    [InlineData(1234567890L, "89005924", "91819424", "93441116")]
    [InlineData(2000000000L, "69279037", "90698825", "38618901")]
    [InlineData(20000000000L, "65353130", "77737706", "47863826")]
    public void Code_Rfc6238Vectors(long unixSeconds, string sha1, string sha256, string sha512)
    {
        var step = Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

        Assert.Equal(sha1, Totp.Code(Sha1Seed, step, 8));
        Assert.Equal(sha256, Totp.Code(Sha256Seed, step, 8, HashAlgorithmName.SHA256));
        Assert.Equal(sha512, Totp.Code(Sha512Seed, step, 8, HashAlgorithmName.SHA512));
    }

    [Fact]
    public void Match_OneStepEitherSide_AndNoFurther()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var step = Totp.StepAt(now);

        Assert.Equal(step, Totp.Match(Sha1Seed, Totp.Code(Sha1Seed, step), now));
        Assert.Equal(step - 1, Totp.Match(Sha1Seed, Totp.Code(Sha1Seed, step - 1), now));
        Assert.Equal(step + 1, Totp.Match(Sha1Seed, Totp.Code(Sha1Seed, step + 1), now));
        Assert.Null(Totp.Match(Sha1Seed, Totp.Code(Sha1Seed, step - 2), now));
        Assert.Null(Totp.Match(Sha1Seed, Totp.Code(Sha1Seed, step + 2), now));
        Assert.Null(Totp.Match(Sha1Seed, "12345", now));
        Assert.Null(Totp.Match(Sha1Seed, "abcdef", now));
    }

    [Fact]
    public void Uri_NamesIssuerAndCarriesBase32Secret()
    {
        var secret = Totp.NewSecret();
        var uri = Totp.Uri(secret, "ana@example.com");

        Assert.Equal(20, secret.Length);
        Assert.StartsWith("otpauth://totp/Firebreak:ana%40example.com?secret=", uri, StringComparison.Ordinal);
        Assert.Contains("&issuer=Firebreak", uri, StringComparison.Ordinal);
        Assert.Equal(secret, Base32.Decode(uri.Split("secret=")[1].Split('&')[0]));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_Rfc4648Vectors(string text, string encoded)
    {
        Assert.Equal(encoded, Base32.Encode(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text, Encoding.ASCII.GetString(Base32.Decode(encoded.ToLowerInvariant())));
    }
}
