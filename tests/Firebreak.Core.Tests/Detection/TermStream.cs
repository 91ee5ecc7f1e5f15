using Firebreak.Core.Detection.Terms;

namespace Firebreak.Core.Tests.Detection;

/// <summary>Deterministic mention texts for the emerging-term tests: everyday talk plus injected bursts.</summary>
internal sealed class TermStream
{
    public static readonly DateTimeOffset Start = new(2025, 3, 3, 0, 0, 0, TimeSpan.Zero);

    public static readonly string[] English =
        ("flight delay crew seat bag airport gate service travel staff food ticket booking arrival departure thanks " +
        "great terrible today tomorrow morning evening family friends holiday lovely excellent problem question waiting " +
        "lounge boarding window aisle comfortable landing weather luggage refund upgrade pilot cabin snack coffee music " +
        "movie charger blanket pillow journey return connection schedule")
        .Split(' ');

    public static readonly string[] Arabic =
        "رحلة مطار تأخير طاقم مقعد حقيبة بوابة خدمة سفر موظف طعام تذكرة حجز وصول مغادرة شكرا جميل سيء اليوم غدا صباح مساء عائلة أصدقاء عطلة رائع ممتاز مشكلة سؤال انتظار"
        .Split(' ');

    /// <summary>Japanese words; a text joins them without spaces, as Japanese is written.</summary>
    public static readonly string[] Japanese =
        "旅行 空港 出発 到着 荷物 予約 座席 天気 東京 大阪 便 遅延 食事 機内 案内 係員 搭乗 窓側 通路 快適 残念 最高 ありがとう 今日 明日 朝 夜 写真 友達 家族 休み 帰り 行き 乗り継ぎ 空席 料金 変更 確認 連絡 サービス"
        .Split(' ');

    private readonly List<(DateTimeOffset At, string Text)> items = [];

    /// <summary>
    /// Everyday mentions, one every <paramref name="every"/>, of 5 to 10 words drawn with Zipf weights (the
    /// first words of the list are the most common), joined by <paramref name="separator"/>.
    /// </summary>
    public TermStream Background(string[] words, string separator, TimeSpan from, TimeSpan to, TimeSpan every, int seed)
    {
        var random = new Random(seed);
        var weights = words.Select((_, rank) => 1.0 / (rank + 1)).ToArray();
        var total = weights.Sum();
        for (var t = from; t < to; t += every)
        {
            var count = random.Next(5, 11);
            var picked = new string[count];
            for (var i = 0; i < count; i++)
            {
                var u = random.NextDouble() * total;
                var k = 0;
                while (k < weights.Length - 1 && (u -= weights[k]) > 0)
                {
                    k++;
                }

                picked[i] = words[k];
            }

            items.Add((Start + t, string.Join(separator, picked)));
        }

        return this;
    }

    /// <summary><paramref name="count"/> mentions of <paramref name="text"/> spread evenly over [from, from + length).</summary>
    public TermStream Burst(string text, TimeSpan from, TimeSpan length, int count)
    {
        for (var i = 0; i < count; i++)
        {
            items.Add((Start + from + (length * i / count), text));
        }

        return this;
    }

    /// <summary>The mentions in time order (stable for equal times), numbered from 1, captured when created.</summary>
    public List<TermObservation> Build(long workspace, long[] topics)
    {
        var ordered = items.Select((item, order) => (item, order)).OrderBy(p => p.item.At).ThenBy(p => p.order).ToList();
        return ordered.Select((p, i) => new TermObservation(workspace, topics, i + 1, p.item.Text, p.item.At, p.item.At)).ToList();
    }
}
