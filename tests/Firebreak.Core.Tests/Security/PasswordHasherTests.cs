namespace Firebreak.Core.Tests.Security;

using Firebreak.Core.Security;

public sealed class PasswordHasherTests
{
    private static readonly PasswordHasher Fast = new(new PasswordHashOptions { Iterations = 1_000 });

    [Fact]
    public void Options_Default_Is600000Iterations() => Assert.Equal(600_000, new PasswordHashOptions().Iterations);

    [Fact]
    public void Hash_IsSelfDescribingAndSalted()
    {
        var first = Fast.Hash("correct horse battery staple");
        var second = Fast.Hash("correct horse battery staple");

        Assert.StartsWith("pbkdf2-sha256$1000$", first, StringComparison.Ordinal);
        Assert.Equal(4, first.Split('$').Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Verify_RightAndWrongPassword()
    {
        var hash = Fast.Hash("correct horse battery staple");

        Assert.True(Fast.Verify(hash, "correct horse battery staple", out var rehash));
        Assert.False(rehash);
        Assert.False(Fast.Verify(hash, "correct horse battery stapler", out _));
        Assert.False(Fast.Verify(null, "anything", out _));
        Assert.False(Fast.Verify("md5$abc", "anything", out _));
    }

    [Fact]
    public void Verify_OtherIterationCount_StillMatchesAndAsksForRehash()
    {
        var old = new PasswordHasher(new PasswordHashOptions { Iterations = 500 }).Hash("correct horse battery staple");

        Assert.True(Fast.Verify(old, "correct horse battery staple", out var rehash));
        Assert.True(rehash);
    }

    [Fact]
    public void Hash_KnownVector_MatchesPbkdf2Sha256()
    {
        // RFC 7914 §11 test vector for PBKDF2-HMAC-SHA256 ("passwd", salt "salt", 1 iteration, first 32 bytes).
        var stored = "pbkdf2-sha256$1$" + Convert.ToBase64String("salt"u8.ToArray()) + "$" + Convert.ToBase64String(Convert.FromHexString("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"));

        Assert.True(Fast.Verify(stored, "passwd", out var rehash));
        Assert.True(rehash);
    }
}
