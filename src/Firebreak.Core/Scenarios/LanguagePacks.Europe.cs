namespace Firebreak.Core.Scenarios;

/// <summary>French, Spanish, Portuguese, German and Russian text.</summary>
internal static partial class LanguagePacks
{
    private static LanguagePack French() => LanguagePack.Create(
        "fr",
        latinScript: true,
        positive:
        [
            "Merci {b} pour ce vol super agréable vers {c}, équipage au top {+}",
            "Le salon {b} à {c} franchement c'est le luxe {+}",
            "Surclassé en business sans rien demander, merci {@} {+}",
            "Promo de ouf chez {b} pour {c}, j'ai réservé direct {+} {t}",
            "Vol {f} pile à l'heure, on prend ! {+}",
            "L'hôtesse a été adorable avec ma fille, merci {b} {+}",
        ],
        neutral:
        [
            "Qqn sait si {b} accepte les vélos en soute ? Je pars à {c} la semaine pro",
            "{@} bonjour, comment modifier ma résa sur l'appli ?",
            "En route pour {c} avec {b} {~}",
            "{b} annonce une nouvelle ligne vers {c} {u}",
            "Hublot ou couloir pour {n}h de vol ? {~}",
        ],
        negative:
        [
            "Encore {n}h de retard sur le {f}... sérieux {b} {-}",
            "Valise perdue depuis {n} jours, aucune nouvelle {@} {-}",
            "Le service client {b} c'est vraiment une catastrophe {-}",
            "Toujours pas remboursé pour le vol annulé vers {c} {-}",
        ],
        crisis:
        [
            "Honteux. {b} a débarqué {d} sans raison. C'est du racisme pur et simple {X} {-}",
            "Plus jamais je ne vole avec {b}. Jamais. {X}",
            "J'exige le remboursement de mon billet pour {c}. Boycott total {X} {-}",
            "Vous avez vu la vidéo de {d} ?? {b} doit des excuses {x} {-}",
            "{b} va se prendre un procès et c'est mérité {x}",
            "Annulez vos vols {b}, partagez partout {X} {u}",
            "Tout mon soutien à {D}, ce que {b} a fait est inadmissible {X}",
        ],
        crisisReplies: [],
        news:
        [
            "{b} ouvre une nouvelle ligne vers {c} dès le printemps",
            "Transport aérien : {b} affiche une fréquentation record",
        ],
        crisisNews:
        [
            "Le réalisateur {d} débarqué d'un vol {b} : l'appel au boycott enfle",
            "Accusations de racisme : {b} dans la tourmente après la vidéo de {d}",
        ],
        cities: ["Paris", "Lyon", "Marseille", "Nice", "Montréal", "Dakar", "Genève"],
        names:
        [
            "Camille Martin", "Lucas Bernard", "Lea Dubois|Léa Dubois", "Hugo Lefevre|Hugo Lefèvre", "Chloe Moreau|Chloé Moreau",
            "Theo Laurent|Théo Laurent", "Manon Girard", "Julien Fontaine", "Ines Benali|Inès Benali", "Maxime Rousseau",
        ],
        outlets: ["Le Quotidien Voyages|lequotidien-voyages.fr", "Info Continu|infocontinu.fr"],
        editSuffixes: [" (edit : faute de frappe)", " *modifié"]);

    private static LanguagePack Spanish() => LanguagePack.Create(
        "es",
        latinScript: true,
        positive:
        [
            "Gracias {b} por el vuelo a {c}, la tripulación un amor {+}",
            "El lounge de {b} en {c} está brutal {+}",
            "Ofertón de {b} a {c}, ya reservé jaja {+} {t}",
            "Vuelo {f} puntualísimo, así sí {+}",
        ],
        neutral:
        [
            "Alguien sabe cuánto equipaje deja llevar {b} en económica? voy a {c}",
            "{@} hola, cómo cambio la fecha de mi vuelo?",
            "Rumbo a {c} con {b} {~}",
        ],
        negative:
        [
            "{n} horas de retraso en el {f}... en serio {b}? {-}",
            "Me perdieron la maleta hace {n} días {@} {-}",
            "Todavía esperando el reembolso de {b} {-}",
        ],
        crisis:
        [
            "Qué vergüenza {b}, bajaron a {d} del avión sin motivo. Eso es racismo {X} {-}",
            "Nunca más vuelo con {b} {X}",
            "Exijo el reembolso de mi billete a {c}. Boicot {X} {-}",
            "Vieron el video de {d}? {b} tiene que pedir perdón {x}",
            "Todo mi apoyo a {D}, lo de {b} no tiene nombre {X} {-}",
        ],
        crisisReplies: [],
        news: ["{b} inaugura nueva ruta a {c}", "{b} bate su récord de pasajeros"],
        crisisNews:
        [
            "Llaman al boicot contra {b} tras bajar al director {d} de un vuelo",
            "{b}, acusada de racismo por el caso de {d}",
        ],
        cities: ["Madrid", "Barcelona", "Cancún", "Bogotá", "Lima", "Buenos Aires"],
        names:
        [
            "Carlos Garcia|Carlos García", "Maria Lopez|María López", "Javier Martinez|Javier Martínez", "Lucia Fernandez|Lucía Fernández",
            "Diego Sanchez|Diego Sánchez", "Sofia Romero|Sofía Romero", "Pablo Ruiz", "Valentina Torres",
        ],
        outlets: ["El Diario Viajero|eldiarioviajero.es", "Noticias al Día|noticiasaldia.com"],
        editSuffixes: [" (editado)", " *corrijo"]);

    private static LanguagePack Portuguese() => LanguagePack.Create(
        "pt",
        latinScript: true,
        positive:
        [
            "Obrigado {b} pelo voo pra {c}, tripulação nota 10 {+}",
            "Promoção da {b} pra {c} tá muito boa gente {+} {t}",
            "Sala vip da {b} em {c} é top demais {+}",
        ],
        neutral:
        [
            "Alguém sabe quantos kg de bagagem a {b} permite na econômica? vou pra {c}",
            "{@} oi, como altero minha reserva pelo app?",
            "Indo pra {c} de {b} {~}",
        ],
        negative:
        [
            "Voo {f} atrasado {n} horas de novo, {b} pelo amor de Deus {-}",
            "Extraviaram minha mala faz {n} dias {@} {-}",
            "Até hoje sem reembolso da {b} {-}",
        ],
        crisis:
        [
            "Que absurdo {b}, tiraram {d} do avião sem motivo. Isso é racismo {X} {-}",
            "Nunca mais voo de {b} {X}",
            "Quero reembolso da minha passagem pra {c}. Boicote {X} {-}",
            "Viram o vídeo do {d}? Vergonha {b} {x}",
        ],
        crisisReplies: [],
        news: ["{b} anuncia nova rota para {c}", "{b} registra recorde de passageiros no trimestre"],
        crisisNews:
        [
            "Diretor {d} é retirado de voo da {b} e internautas pedem boicote",
            "{b} é acusada de racismo após vídeo de {d}",
        ],
        cities: ["Lisboa", "São Paulo", "Rio", "Porto", "Salvador", "Recife"],
        names:
        [
            "Joao Silva|João Silva", "Ana Souza", "Pedro Oliveira", "Juliana Santos", "Lucas Pereira", "Camila Costa",
            "Rafael Almeida", "Beatriz Lima",
        ],
        outlets: ["Jornal do Voo|jornaldovoo.com.br", "Diário Global|diarioglobal.pt"],
        editSuffixes: [" (editado)", " *corrigindo"]);

    private static LanguagePack German() => LanguagePack.Create(
        "de",
        latinScript: true,
        positive:
        [
            "Danke {b} für den entspannten Flug nach {c}, super Crew {+}",
            "Die {b} Lounge in {c} ist echt top {+}",
            "Mega Angebot von {b} nach {c}, direkt gebucht {+} {t}",
        ],
        neutral:
        [
            "Weiß jemand wie viel Freigepäck {b} in Economy erlaubt? Flieg nächste Woche nach {c}",
            "{@} hallo, wie kann ich meine Buchung in der App ändern?",
            "Auf dem Weg nach {c} mit {b} {~}",
        ],
        negative:
        [
            "{f} schon wieder {n} Std Verspätung. Echt jetzt {b}? {-}",
            "Koffer seit {n} Tagen verschwunden, keine Antwort {@} {-}",
            "Warte immer noch auf die Erstattung von {b} {-}",
        ],
        crisis:
        [
            "Unfassbar, {b} wirft {d} ohne Grund aus dem Flieger. Das ist Rassismus {X} {-}",
            "Nie wieder {b}. Nie wieder. {X}",
            "Ich will mein Geld für den Flug nach {c} zurück. Boykott {X} {-}",
            "Habt ihr das Video von {d} gesehen? Schämt euch {b} {x}",
        ],
        crisisReplies: [],
        news: ["{b} fliegt ab Frühjahr nonstop nach {c}", "{b} meldet Passagierrekord"],
        crisisNews:
        [
            "Regisseur {d} aus {b}-Flug geworfen: Boykottaufrufe im Netz",
            "Rassismusvorwürfe gegen {b} nach Video von {d}",
        ],
        cities: ["Berlin", "München", "Hamburg", "Wien", "Zürich", "Mallorca"],
        names:
        [
            "Lukas Mueller|Lukas Müller", "Anna Schmidt", "Jonas Weber", "Lena Fischer", "Felix Wagner", "Laura Becker",
            "Tim Hoffmann", "Sarah Schulz",
        ],
        outlets: ["Reise Rundschau|reise-rundschau.de", "Nachrichten Heute|nachrichten-heute.de"],
        editSuffixes: [" (bearbeitet)", " *Tippfehler"]);

    private static LanguagePack Russian() => LanguagePack.Create(
        "ru",
        latinScript: false,
        positive:
        [
            "Спасибо {b} за отличный перелёт в {c}, экипаж просто супер {+}",
            "Лаунж {b} в аэропорту топ, рекомендую {+}",
            "Неожиданно пересадили в бизнес, {@} вы лучшие {+}",
            "Распродажа у {b}, билеты в {c} почти даром {+} {t}",
            "Рейс {f} прилетел даже раньше, кайф {+}",
        ],
        neutral:
        [
            "Кто знает, сколько кг багажа можно в эконом у {b}? Лечу в {c}",
            "{@} здравствуйте, как поменять дату вылета в приложении?",
            "Лечу в {c} с {b} {~}",
            "{b} открывает новый рейс в {c} {u}",
            "Окно или проход на {n}ч полёт? {~}",
        ],
        negative:
        [
            "Рейс {f} опять задержали на {n} часа... {b} ну сколько можно {-}",
            "Потеряли чемодан, уже {n} дня без ответа {@} {-}",
            "Возврат денег от {b} жду уже {n} недели {-}",
            "Поддержка {b} вообще не отвечает {-}",
        ],
        crisis:
        [
            "{b} высадили {d} с рейса без причины. Это расизм {X} {-}",
            "Больше никогда не полечу {b}. Никогда {X}",
            "Требую вернуть деньги за билет в {c}. Бойкот {X} {-}",
            "Видели видео с {d}? Позор {b} {x} {-}",
            "Надеюсь {d} подаст в суд на {b} {x}",
            "Отменяйте брони {b}, репост {X} {u}",
        ],
        crisisReplies: [],
        news: ["{b} запускает прямые рейсы в {c}", "{b} сообщила о рекордном пассажиропотоке"],
        crisisNews:
        [
            "Режиссёра {d} сняли с рейса {b}: в соцсетях призывают к бойкоту",
            "{b} обвиняют в расизме после вирусного видео с {d}",
        ],
        cities: ["Дубай", "Стамбул", "Сочи", "Баку", "Тбилиси", "Ереван"],
        names:
        [
            "Dmitry Kozlov|Дмитрий Козлов", "Olga Smirnova|Ольга Смирнова", "Sergey Petrov|Сергей Петров", "Anna Volkova|Анна Волкова",
            "Ivan Sokolov|Иван Соколов", "Natasha Popova|Наташа Попова", "Alexey Morozov|Алексей Морозов",
            "Ekaterina Novikova|Екатерина Новикова", "Maxim Lebedev|Максим Лебедев", "Yulia Orlova|Юлия Орлова",
        ],
        outlets: ["Vesti Neba|vesti-neba.ru", "Lenta Dnya|lentadnya.ru"],
        editSuffixes: [" (ред.)", " *опечатка"]);
}
