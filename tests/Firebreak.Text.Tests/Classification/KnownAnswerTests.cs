using System.Diagnostics;
using Firebreak.Text.Classification;

namespace Firebreak.Text.Tests.Classification;

public sealed class KnownAnswerTests
{
    [Theory]
    [InlineData("sentiment", "en", "I love this so much, best day ever! 😍", "positive")]
    [InlineData("sentiment", "en", "This is the worst service ever, I hate it. Disgusting.", "negative")]
    [InlineData("sentiment", null, "I love this so much, best day ever!", "positive")]
    [InlineData("sentiment", "de", "Ich liebe diesen Film, einfach wunderbar und großartig!", "positive")]
    [InlineData("sentiment", "de", "Das ist schrecklich, ich hasse es. Furchtbar.", "negative")]
    [InlineData("sentiment", "es", "Me encanta, qué maravilla, muy feliz hoy", "positive")]
    [InlineData("sentiment", "es", "Odio esto, es horrible y asqueroso", "negative")]
    [InlineData("sentiment", "fr", "J'adore ce film, c'est génial, merci !", "positive")]
    [InlineData("sentiment", "fr", "C'est nul, une honte, je déteste", "negative")]
    [InlineData("sentiment", "it", "Che bello, sono felicissimo, grazie mille!", "positive")]
    [InlineData("sentiment", "pt", "Que lindo, amei demais, muito feliz!", "positive")]
    [InlineData("offensive", "en", "@user you are a fucking idiot, shut up", "offensive")]
    [InlineData("offensive", "en", "Have a lovely weekend everyone, see you on Monday", "not-offensive")]
    [InlineData("hate", "en", "Thank you for the lovely dinner last night", "not-hate")]
    [InlineData("emotion", "en", "I am so angry and furious right now, this is outrageous #rage", "anger")]
    [InlineData("emotion", "en", "I miss her so much, crying all night #depressed #sad", "sadness")]
    [InlineData("emotion", "en", "Had the best time laughing with friends, so happy! #joy", "joy")]
    public void Predict_ClearExample_ReturnsExpectedLabel(string model, string? language, string text, string expected)
    {
        var prediction = ShippedModels.Get(model).Predict(text, language, new ClassifierScratch());

        Assert.Equal(expected, prediction.Label);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("😂😂😂🔥🔥")]
    [InlineData("👍🏽")]
    [InlineData("H̸̡̪̯ͨ͊̽̅̾̎Ȩ̬̩̾͛ͪ̈́̀́͘ ̶̧̨̱̹̭̯ͧ̾ͬC̷̙̲̝͖ͭ̏ͥͮ͟Oͮ͏̮̪̝͍M̲̖͊̒ͪͩͬ̚̚͜Ȇ̴̟̟͙̞ͩ͌͝S̨̥̫͎̭ͯ̿̔̀ͅ")]
    [InlineData("مرحبا بالعالم، هذا رائع جدا")]
    [InlineData("\u202Eevil bidi\u202C \u200F\u200E")]
    [InlineData("\uD800 lone surrogate \uDC00")]
    [InlineData("http://x.example/a?b=c @user #")]
    public void Predict_HostileInput_ReturnsValidDistribution(string text)
    {
        var scratch = new ClassifierScratch();
        foreach (var model in TextTasks.Models)
        {
            var prediction = ShippedModels.Get(model).Predict(text, null, scratch);

            Assert.InRange(prediction.Confidence, 0f, 1f);
            Assert.Equal(1.0, prediction.Probabilities.ToArray().Sum(p => (double)p), 3);
        }
    }

    [Fact]
    public void Predict_TenMegabyteText_ReturnsQuickly()
    {
        var text = string.Concat(Enumerable.Repeat("lol 😂 so goood ", 700_000));
        var scratch = new ClassifierScratch();
        var classifier = ShippedModels.Get("sentiment");
        classifier.Predict("warm up", "en", scratch);

        var clock = Stopwatch.StartNew();
        var prediction = classifier.Predict(text, "en", scratch);

        // A guard that featurization is capped, not a speed target (`firebreak bench text` measures speed).
        Assert.True(clock.ElapsedMilliseconds < 2_000, $"took {clock.ElapsedMilliseconds} ms");
        Assert.InRange(prediction.Confidence, 0f, 1f);
    }
}
