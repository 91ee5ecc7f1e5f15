using System.Diagnostics;
using System.Text;
using Firebreak.Text.LanguageId;

namespace Firebreak.Text.Tests.LanguageId;

public sealed class LanguageIdentifierTests
{
    private static LanguageIdentifier Model => LanguageIdentifier.LoadDefault();

    [Theory]
    [InlineData("Je pense que nous devrions partir demain matin avant la pluie.", "fr")]
    [InlineData("I think we should leave tomorrow morning before it starts raining.", "en")]
    [InlineData("Ich glaube, wir sollten morgen früh losfahren, bevor es regnet.", "de")]
    [InlineData("Creo que deberíamos salir mañana por la mañana antes de que llueva.", "es")]
    [InlineData("Acho que devíamos sair amanhã de manhã antes que comece a chover.", "pt")]
    [InlineData("Penso che dovremmo partire domani mattina prima che inizi a piovere.", "it")]
    [InlineData("Ik denk dat we morgenochtend moeten vertrekken voordat het gaat regenen.", "nl")]
    [InlineData("Myślę, że powinniśmy wyjechać jutro rano, zanim zacznie padać.", "pl")]
    [InlineData("Bence yağmur başlamadan yarın sabah yola çıkmalıyız.", "tr")]
    [InlineData("Я думаю, что нам нужно уехать завтра утром, пока не начался дождь.", "ru")]
    [InlineData("Я думаю, що нам треба поїхати завтра вранці, поки не почався дощ.", "uk")]
    [InlineData("Мисля, че трябва да тръгнем утре сутринта, преди да завали.", "bg")]
    [InlineData("أعتقد أنه يجب علينا المغادرة صباح الغد قبل أن تمطر.", "ar")]
    [InlineData("فکر می‌کنم باید فردا صبح قبل از اینکه باران بیاید حرکت کنیم.", "fa")]
    [InlineData("मुझे लगता है कि हमें कल सुबह बारिश से पहले निकल जाना चाहिए।", "hi")]
    [InlineData("私は明日の朝、雨が降る前に出発するべきだと思います。", "ja")]
    [InlineData("我觉得我们应该明天早上下雨之前出发。", "zh")]
    [InlineData("내일 아침 비가 오기 전에 출발해야 할 것 같아요.", "ko")]
    [InlineData("ฉันคิดว่าเราควรออกเดินทางพรุ่งนี้เช้าก่อนฝนตก", "th")]
    [InlineData("Νομίζω ότι πρέπει να φύγουμε αύριο το πρωί πριν βρέξει.", "el")]
    [InlineData("אני חושב שאנחנו צריכים לצאת מחר בבוקר לפני שיתחיל לרדת גשם.", "he")]
    [InlineData("আমার মনে হয় বৃষ্টি শুরু হওয়ার আগে কাল সকালে আমাদের বেরিয়ে পড়া উচিত।", "bn")]
    [InlineData("Tôi nghĩ chúng ta nên khởi hành vào sáng mai trước khi trời mưa.", "vi")]
    [InlineData("Jag tror att vi borde åka i morgon bitti innan det börjar regna.", "sv")]
    [InlineData("Luulen, että meidän pitäisi lähteä huomenna aamulla ennen kuin alkaa sataa.", "fi")]
    [InlineData("Azt hiszem, holnap reggel kellene indulnunk, mielőtt elkezd esni.", "hu")]
    [InlineData("Myslím, že bychom měli odjet zítra ráno, než začne pršet.", "cs")]
    public void Identify_CleanSentence_ReturnsLanguage(string text, string expected)
    {
        var guess = Model.Identify(text);

        Assert.Equal(expected, guess.Language);
        Assert.InRange(guess.Confidence, 0.5f, 1f);
    }

    [Theory]
    [InlineData("@marie_d https://t.co/x9Zk2 Je suis tellement contente de vous voir ce soir !! #bonheur #Paris 😍🎉", "fr")]
    [InlineData("RT @user: www.example.com Das ist wirklich eine großartige Nachricht für alle! 👏👏 #gutenachrichten", "de")]
    [InlineData("ذَهَبَ الوَلَدُ إِلَى المَدْرَسَةِ فِي الصَّبَاحِ البَاكِرِ", "ar")]
    [InlineData("Вчера я купил новый iPhone и MacBook в магазине Apple на Тверской.", "ru")]
    [InlineData("Мы сегодня вечером идём в кино, билеты уже купили 🎬🍿 12345", "ru")]
    [InlineData("2024年、iPhoneを買いました！", "ja")]
    [InlineData("오늘 Netflix에서 새로운 드라마를 봤어요 😊", "ko")]
    [InlineData("ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ ｉｓ ｓｔｉｌｌ ｅｎｇｌｉｓｈ ａｎｄ ｓｈｏｕｌｄ ｂｅ ｆｉｎｅ", "en")]
    public void Identify_NoisySocialMediaText_ReturnsLanguage(string text, string expected)
    {
        Assert.Equal(expected, Model.Identify(text).Language);
    }

    /// <summary>
    /// Demo-stream (ScenarioGenerator) shapes: a Latin brand name inside Devanagari, Japanese or Cyrillic text, and
    /// scheme-less short links, handles and hashtags around the words. The language around the brand decides.
    /// </summary>
    [Theory]
    [InlineData("Aurora Air से सिंगापुर जा रहा हूँ", "hi")]
    [InlineData("@itshannah320 Aurora Air से दिल्ली जा रहा हूँ 📸", "hi")]
    [InlineData("Aurora Air की सेल में मुंबई का टिकट सस्ता मिल गया ❤️ #AuroraAir", "hi")]
    [InlineData("Aurora Airの返金まだ来ない🙄", "ja")]
    [InlineData("Aurora Airのセールでパリ行きの航空券ゲットした！❤️✨ #AuroraAir", "ja")]
    [InlineData("@lauren_davis394 Мы сегодня летим с Aurora Air в Москву 🤔🌍", "ru")]
    [InlineData("Aurora Air abre nueva ruta a Lisboa https://bit.ly/aCj3I6ql", "es")]
    [InlineData("Aurora Air ouvre une nouvelle ligne vers Lisbonne bit.ly/VZjN8RT", "fr")]
    [InlineData("Aurora Air eröffnet eine neue Strecke nach Lissabon t.co/x9Zk2Ab #AuroraAir", "de")]
    [InlineData("@AuroraAir my flight got cancelled again and nobody is answering the phone 😡 #BoycottAuroraAir", "en")]
    [InlineData("A Aurora Air cancelou meu voo de novo e ninguém responde 😡", "pt")]
    [InlineData("طيران أورورا ألغى رحلتي مرة أخرى ولا أحد يرد 😡 @AuroraAir", "ar")]
    public void Identify_ScenarioStyleMention_ReturnsLanguage(string text, string expected)
    {
        Assert.Equal(expected, Model.Identify(text).Language);
    }

    [Theory]
    [InlineData(2_000)]
    public void ComputeLogits_Avx512AndPortablePaths_BitIdentical(int rows)
    {
        var model = Model;
        var scratch = new LanguageIdScratch();
        var wide = new float[LanguageIdScratch.MaxLabels];
        var portable = new float[LanguageIdScratch.MaxLabels];
        foreach (var (_, text) in LangIdData.ReadRows(LangIdData.DevPath, rows))
        {
            var clean = TextCleaner.Clean(text, scratch);
            var count = clean.Script == Script.None ? 0 : FeatureHasher.Extract(scratch, clean.Script, model.Data.Config, scratch.Features);
            if (count == 0)
            {
                continue;
            }

            model.ComputeLogits(scratch.Features.AsSpan(0, count), wide, allowAvx512: true);
            model.ComputeLogits(scratch.Features.AsSpan(0, count), portable, allowAvx512: false);
            Assert.Equal(portable.AsSpan(0, model.Languages.Count).ToArray(), wide.AsSpan(0, model.Languages.Count).ToArray());
        }
    }

    [Theory]
    [InlineData("😂😂🔥🔥👍🏽❤️")]
    [InlineData("")]
    [InlineData("   \t\n  ")]
    [InlineData("12345 67.89 !!! ??? ...")]
    [InlineData("https://example.com/path?q=1 @someone")]
    [InlineData("გამარჯობა, როგორ ხარ დღეს?")]
    [InlineData("Բարեւ, ինչպես ես այսօր")]
    [InlineData("ok")]
    public void Identify_NoLanguageSignal_ReturnsUnd(string text)
    {
        var guess = Model.Identify(text);

        Assert.Equal(LanguageGuess.Undetermined, guess.Language);
        Assert.True(guess.IsUndetermined);
    }

    [Theory]
    [InlineData("lol")]
    [InlineData("ok ok")]
    [InlineData("hmm")]
    public void Identify_InterjectionOnly_ReturnsUndOrLowConfidence(string text)
    {
        var guess = Model.Identify(text);

        Assert.True(guess.IsUndetermined || guess.Confidence < 0.9f, $"{text} -> {guess}");
    }

    [Theory]
    [InlineData("The weather is really nice today and we are going to the beach", "en")]
    [InlineData("Le temps est vraiment magnifique aujourd'hui et nous allons à la plage", "fr")]
    public void Identify_ZalgoMarks_IgnoresMarks(string text, string expected)
    {
        var zalgo = new StringBuilder();
        var marks = "\u0300\u0301\u0336\u0337\u0489\u035C\u0361\u0316";
        for (var i = 0; i < text.Length; i++)
        {
            zalgo.Append(text[i]);
            for (var k = 0; k < 3; k++)
            {
                zalgo.Append(marks[(i + k) % marks.Length]);
            }
        }

        Assert.Equal(expected, Model.Identify(zalgo.ToString()).Language);
    }

    [Theory]
    [InlineData("\uD800 This is an ordinary English sentence \uDC00 with lone surrogates \uD83D", "en")]
    [InlineData("\uDFFF\uDFFF\uD800", "und")]
    public void Identify_LoneSurrogates_DoesNotThrow(string text, string expected)
    {
        Assert.Equal(expected, Model.Identify(text).Language);
    }

    [Theory]
    [InlineData("12 !! ", "und")]
    [InlineData("Ceci est une phrase française assez ordinaire pour le test. ", "fr")]
    [InlineData("😀", "und")]
    public void Identify_TenMegabyteInput_ReturnsQuickly(string unit, string expected)
    {
        var text = new StringBuilder(10_000_000 + unit.Length);
        while (text.Length < 10_000_000)
        {
            text.Append(unit);
        }

        var input = text.ToString();
        Model.Identify("warm up");
        var clock = Stopwatch.StartNew();
        var guess = Model.Identify(input);
        clock.Stop();

        Assert.Equal(expected, guess.Language);
        // Not a speed target (that is `firebreak bench text`): a guard that work is capped, not proportional
        // to the input. Reading all 10 MB would take seconds; the cap makes it milliseconds even on a busy CI.
        Assert.True(clock.ElapsedMilliseconds < 2_000, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData(1_000)]
    public void Identify_AfterWarmUp_DoesNotAllocate(int calls)
    {
        var model = Model;
        string[] texts =
        [
            "Je suis tellement contente de vous voir ce soir #bonheur",
            "Вчера я купил новый iPhone",
            "我觉得我们应该明天早上出发。",
            "😂😂",
            "lol",
        ];
        foreach (var text in texts)
        {
            model.Identify(text);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            model.Identify(texts[i % texts.Length]);
        }

        // Zero per call: the runtime may allocate a few hundred bytes once while it re-JITs a hot method
        // (tiered compilation), which is not per text; a per-text allocation would be >= 24 bytes * calls.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < calls, $"{allocated} bytes over {calls} calls");
    }

    [Theory]
    [InlineData(4)]
    public void Identify_ConcurrentCallers_AgreeWithSequential(int threads)
    {
        var rows = LangIdData.ReadRows(LangIdData.DevPath, 2_000);
        var expected = rows.Select(r => Model.Identify(r.Text)).ToArray();
        var results = new LanguageGuess[threads][];
        Parallel.For(0, threads, t => results[t] = [.. rows.Select(r => Model.Identify(r.Text))]);

        foreach (var result in results)
        {
            Assert.Equal(expected, result);
        }
    }

    [Theory]
    [InlineData(3_000)] // a gross-regression guard only; the load time figure comes from `firebreak bench text`
    public void LoadDefault_CalledTwice_ReturnsCachedInstanceQuickly(int maxMilliseconds)
    {
        var clock = Stopwatch.StartNew();
        using var stream = typeof(LanguageIdentifier).Assembly.GetManifestResourceStream(LanguageIdentifier.DefaultResourceName);
        Assert.NotNull(stream);
        var fresh = LanguageIdentifier.Load(stream);
        clock.Stop();

        Assert.Same(LanguageIdentifier.LoadDefault(), LanguageIdentifier.LoadDefault());
        Assert.Equal(47, fresh.Languages.Count);
        Assert.True(clock.ElapsedMilliseconds < maxMilliseconds, $"load took {clock.ElapsedMilliseconds} ms");
    }
}
