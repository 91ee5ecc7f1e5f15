namespace Firebreak.Core.Scenarios;

/// <summary>Indonesian, Arabic, Japanese and Hindi text.</summary>
internal static partial class LanguagePacks
{
    private static LanguagePack Indonesian() => LanguagePack.Create(
        "id",
        latinScript: true,
        positive:
        [
            "Makasih {b}, pramugarinya ramah bgt di {f} tadi {+}",
            "Akhirnya nyampe {c}! Penerbangannya mulus, mantap {@} {+}",
            "Promo {b} ke {c} lagi murah banget gaes, buruan {+} {t}",
            "lounge {b} di {c} enak, makanannya banyak wkwk {+}",
            "Pertama kali naik {b}, ternyata kursinya lega. Recommended! {+}",
        ],
        neutral:
        [
            "Ada yg tau bagasi {b} kelas ekonomi berapa kg? mau ke {c} minggu depan",
            "{@} min, check in online bisa berapa jam sebelum berangkat?",
            "otw {c} naik {b} {~}",
            "{b} buka rute baru ke {c} nih {u}",
            "Mending {b} atau maskapai lain buat ke {c}? harganya mirip2",
        ],
        negative:
        [
            "{f} delay {n} jam lagi... capek deh {b} {-}",
            "Koper aku ilang, udah {n} hari blm ada kabar {@} {-}",
            "refund dari {b} lama bgt, udh {n} minggu nunggu {-}",
            "CS {b} susah dihubungi bgt sih {-}",
        ],
        crisis:
        [
            "Gila sih {b} nurunin {d} dari pesawat gitu aja. Rasis banget {X} {-}",
            "Gak mau naik {b} lagi. Mending maskapai lain {X}",
            "Udah liat videonya {d}? Parah bgt {b} {-} {x}",
            "Minta refund semua tiket {b} aku. Boikot! {X} {-}",
            "{b} harus minta maaf ke {D} sekarang juga {X}",
            "Ini diskriminasi. Cancel {b}! {x} {X}",
        ],
        crisisReplies: [],
        news: ["{b} Buka Rute Baru ke {c} Mulai Bulan Depan", "Promo Tiket {b}: Diskon hingga 40 Persen ke {c}"],
        crisisNews:
        [
            "Sutradara {d} Diturunkan dari Pesawat {b}, Warganet Serukan Boikot",
            "Tagar {X} Trending, {b} Dituding Rasis",
        ],
        cities: ["Jakarta", "Bali", "Surabaya", "Medan", "Singapura", "Kuala Lumpur"],
        names:
        [
            "Budi Santoso", "Siti Rahmawati", "Andi Pratama", "Dewi Lestari", "Rizky Saputra", "Putri Wijaya", "Agus Hidayat",
            "Ayu Kusuma", "Fajar Nugroho", "Intan Permata",
        ],
        outlets: ["Kabar Harian|kabarharian.co.id", "Warta Kini|wartakini.id"],
        editSuffixes: [" (edit: typo)", " *ralat"]);

    private static LanguagePack Arabic() => LanguagePack.Create(
        "ar",
        latinScript: false,
        positive:
        [
            "شكراً {b} على الرحلة الرائعة إلى {c}، الطاقم قمة في الأخلاق {+}",
            "شُكْرًا لِطَاقَمِ {b} عَلَى حُسْنِ الضِّيَافَةِ {+}",
            "صالة {b} في {c} ممتازة جداً {+}",
            "عروض {b} على رحلات {c} خيالية والله {+} {t}",
            "الرحلة {f} وصلت قبل الموعد، تجربة حلوة {+}",
        ],
        neutral:
        [
            "أحد يعرف كم وزن الشنطة المسموح في {b} الدرجة السياحية؟ مسافر {c}",
            "{@} مرحبا، كيف أغير موعد الحجز من التطبيق؟",
            "في الطريق إلى {c} مع {b} {~}",
            "{b} تعلن عن وجهة جديدة إلى {c} {u}",
        ],
        negative:
        [
            "تأخير {n} ساعات للرحلة {f}، ليش كذا يا {b} {-}",
            "ضاعت شنطتي وصار لي {n} أيام بدون رد {@} {-}",
            "لِلْأَسَفِ خِدْمَةُ الْعُمَلَاءِ فِي {b} سَيِّئَةٌ جِدًّا {-}",
            "ما وصلني الاسترداد من {b} إلى الآن {-}",
        ],
        crisis:
        [
            "{b} طردت المخرج {d} من الطائرة بدون سبب. هذه عنصرية واضحة {X} {-}",
            "لن أسافر مع {b} مرة أخرى أبداً {X}",
            "أطالب باسترداد كامل لتذكرتي إلى {c}. مقاطعة {X} {-}",
            "شاهدتم فيديو {d}؟ عار على {b} {x} {-}",
            "يَجِبُ عَلَى {b} أَنْ تَعْتَذِرَ فَوْرًا {X}",
            "قاطعوا {b} وانشروا الهاشتاق {X} {u}",
        ],
        crisisReplies: [],
        news: ["{b} تطلق رحلات مباشرة إلى {c}", "{b} تسجل أرقاماً قياسية في عدد المسافرين"],
        crisisNews:
        [
            "دعوات لمقاطعة {b} بعد إنزال المخرج {d} من إحدى رحلاتها",
            "اتهامات بالعنصرية تلاحق {b} بعد فيديو {d}",
        ],
        cities: ["دبي", "الرياض", "جدة", "القاهرة", "الدوحة", "عمّان"],
        names:
        [
            "Ahmed Alharbi|أحمد الحربي", "Fatima Alzahrani|فاطمة الزهراني", "Omar Haddad|عمر حداد", "Layla Mansour|ليلى منصور",
            "Khalid Alotaibi|خالد العتيبي", "Noura Alqahtani|نورة القحطاني", "Youssef Ibrahim|يوسف إبراهيم", "Mariam Nasser|مريم ناصر",
            "Hassan Ali|حسن علي", "Sara Almutairi|سارة المطيري",
        ],
        outlets: ["Al Khabar Alyawm|alkhabar-alyawm.com", "Akhbar Alsafar|akhbaralsafar.net"],
        editSuffixes: [" (تعديل)", " *تصحيح"]);

    private static LanguagePack Japanese() => LanguagePack.Create(
        "ja",
        latinScript: false,
        positive:
        [
            "{b}の客室乗務員さん本当に親切だった…{c}まで快適でした{+}",
            "{b}のラウンジ最高すぎる{+}",
            "{b}のセールで{c}行きの航空券ゲットした！{+} {t}",
            "{f}定刻どおり到着、さすが{+}",
        ],
        neutral:
        [
            "{b}のエコノミーって預け荷物何キロまでですか？来週{c}に行きます",
            "{@} アプリで予約変更する方法を教えてください",
            "{b}で{c}へ向かってます{~}",
        ],
        negative:
        [
            "{f}また{n}時間遅延…{b}さんしっかりして{-}",
            "スーツケースが{n}日経っても見つからない{-} {@}",
            "{b}の返金まだ来ない{-}",
        ],
        crisis:
        [
            "{b}が{d}監督を理由もなく降ろしたって本当？差別じゃん {X} {-}",
            "もう二度と{b}には乗らない {X}",
            "{c}行きのチケット全額返金してほしい。ボイコットします {X}",
            "{d}監督の動画見た？{b}ひどすぎる{-} {x}",
        ],
        crisisReplies: [],
        news: ["{b}、{c}への直行便を新設へ", "{b}、四半期の旅客数が過去最高に"],
        crisisNews:
        [
            "映画監督{d}氏が{b}機から降ろされる　SNSで不買運動広がる",
            "{b}に人種差別との批判　{d}氏の動画が拡散",
        ],
        cities: ["東京", "大阪", "ソウル", "バンコク", "ホノルル", "パリ"],
        names:
        [
            "Yuki Tanaka|田中 ゆき", "Haruto Sato|佐藤 陽翔", "Aoi Suzuki|鈴木 葵", "Ren Takahashi|高橋 蓮", "Sakura Ito|伊藤 さくら",
            "Sota Watanabe|渡辺 蒼太", "Yuki|ゆき🌸", "Tabibito Taro|旅人たろう✈️",
        ],
        outlets: ["Travel Shinpo|travel-shinpo.jp", "Sora News|soranews-daily.jp"],
        editSuffixes: ["（追記）", "（訂正）"]);

    private static LanguagePack Hindi() => LanguagePack.Create(
        "hi",
        latinScript: false,
        positive:
        [
            "{b} के क्रू ने बहुत अच्छा ख्याल रखा, {c} तक की फ्लाइट शानदार रही {+}",
            "{b} की सेल में {c} का टिकट सस्ता मिल गया {+} {t}",
            "{b} का लाउंज तो कमाल का है {+}",
        ],
        neutral:
        [
            "क्या कोई बता सकता है {b} में इकोनॉमी में कितना बैगेज allowed है? अगले हफ्ते {c} जाना है",
            "{@} नमस्ते, ऐप में बुकिंग कैसे बदलें?",
            "{b} से {c} जा रहा हूँ {~}",
        ],
        negative:
        [
            "{f} फिर से {n} घंटे लेट... {b} क्या हाल है {-}",
            "मेरा बैग {n} दिन से गायब है {@} {-}",
            "{b} से रिफंड अभी तक नहीं आया {-}",
        ],
        crisis:
        [
            "{b} ने {d} को बिना वजह फ्लाइट से उतार दिया। ये नस्लवाद है {X} {-}",
            "अब कभी {b} से सफर नहीं करूँगा {X}",
            "{c} की टिकट का पूरा रिफंड चाहिए। बहिष्कार {X} {-}",
            "{d} का वीडियो देखा? शर्मनाक {b} {x}",
        ],
        crisisReplies: [],
        news: ["{b} ने {c} के लिए नई सीधी उड़ान शुरू की", "{b} ने रिकॉर्ड यात्री संख्या दर्ज की"],
        crisisNews:
        [
            "निर्देशक {d} को {b} की फ्लाइट से उतारा गया, सोशल मीडिया पर बहिष्कार की मांग",
            "{b} पर नस्लवाद के आरोप, {d} का वीडियो वायरल",
        ],
        cities: ["दिल्ली", "मुंबई", "दुबई", "बेंगलुरु", "लंदन", "सिंगापुर"],
        names:
        [
            "Rahul Sharma|राहुल शर्मा", "Priya Verma|प्रिया वर्मा", "Amit Kumar|अमित कुमार", "Neha Gupta|नेहा गुप्ता",
            "Vikram Singh|विक्रम सिंह", "Pooja Yadav|पूजा यादव", "Arjun Mehta|अर्जुन मेहता", "Sneha Joshi|स्नेहा जोशी",
        ],
        outlets: ["Yatra Samachar|yatrasamachar.in", "Desh Khabar|deshkhabar.in"],
        editSuffixes: [" (संपादित)", " *सुधार"]);
}
