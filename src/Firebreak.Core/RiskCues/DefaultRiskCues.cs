namespace Firebreak.Core.RiskCues;

/// <summary>
/// The cues every new workspace starts with, in the languages Firebreak ships models for (English,
/// Indonesian, French, Russian, Arabic, Spanish, Portuguese, German, Italian, Hindi). Wildcards catch
/// inflections (refund, refunds, refunded, #RefundNow); plain words also match hashtags.
/// </summary>
public static class DefaultRiskCues
{
    public static IReadOnlyList<RiskCue> All { get; } =
    [
        new("boycott", "boycott* OR boikot* OR бойкот* OR مقاطعة OR قاطعوا OR boicot* OR boicott* OR बहिष्कार"),
        new("lawsuit", "lawsuit* OR sue OR suing OR sued OR \"legal action\" OR lawyer* OR attorney* OR gugat* OR pengacara OR \"mon avocat\" OR \"porter plainte\" OR plainte OR иск OR \"подать в суд\" OR адвокат* OR دعوى OR محامي OR demanda* OR abogado* OR processar OR advogado* OR Klage OR verklagen OR Anwalt OR \"causa legale\" OR avvocato OR मुकदमा"),
        new("refund", "refund* OR \"money back\" OR chargeback* OR rembours* OR reembols* OR возврат* OR \"верните деньги\" OR \"uang kembali\" OR استرداد OR استرجاع OR Erstattung OR erstatten OR rimbors* OR रिफंड OR \"पैसे वापस\""),
        new("hacked", "hacked OR hacker* OR \"account compromised\" OR \"been compromised\" OR diretas OR peretas OR piraté OR piratage OR hackeado* OR hackeada OR взлом* OR взломали OR اختراق OR مخترق OR gehackt OR hackerato OR हैक"),
        new("racist", "racis* OR discriminat* OR rasis* OR diskriminasi OR raciste OR racisme OR расизм* OR расист* OR дискриминац* OR عنصري* OR العنصرية OR racista* OR racismo OR rassis* OR razzis* OR नस्लवाद OR नस्लभेद"),
        new("unsafe", "unsafe OR dangerous OR \"safety issue\" OR injured OR injury OR \"tidak aman\" OR berbahaya OR dangereux OR dangereuse OR опасн* OR خطير OR خطر OR peligros* OR perigos* OR \"inseguro\" OR gefährlich* OR pericolos* OR खतरनाक"),
        new("food poisoning", "\"food poisoning\" OR \"intoxication alimentaire\" OR \"keracunan makanan\" OR keracunan OR отравлен* OR отравился OR تسمم OR \"intoxicación alimentaria\" OR \"intoxicação alimentar\" OR Lebensmittelvergiftung OR \"intossicazione alimentare\" OR \"फूड पॉइजनिंग\""),
        new("data breach", "\"data breach\" OR \"data leak\" OR \"leaked data\" OR \"kebocoran data\" OR \"fuite de données\" OR \"утечка данных\" OR \"утечка\" OR \"تسريب بيانات\" OR تسريب OR \"filtración de datos\" OR \"vazamento de dados\" OR Datenleck OR Datenpanne OR \"violazione dei dati\" OR \"डेटा लीक\""),
        new("scam", "scam* OR fraud* OR \"rip off\" OR ripoff OR penipu* OR penipuan OR arnaque* OR escroc* OR мошенн* OR развод OR احتيال OR نصب OR estafa* OR golpe OR fraude OR Betrug OR Abzocke OR truffa* OR धोखा OR ठगी"),
        new("cancel", "cancel* OR annul* OR batal* OR отмен* OR إلغاء OR ألغوا OR cancelad* OR cancelar OR storniert OR annullat* OR रद्द"),
        new("injury or death", "died OR death OR killed OR meninggal OR tewas OR mort OR morte OR погиб* OR умер* OR وفاة OR مات OR muerto OR murió OR morreu OR gestorben OR morto OR मौत"),
        new("recall", "recall OR recalled OR \"product recall\" OR \"rappel produit\" OR \"отзыв продукции\" OR retirada OR Rückruf* OR richiamo"),
    ];
}
