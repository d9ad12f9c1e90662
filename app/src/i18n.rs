//! Interface language: Kazakh, Russian, English.
//!
//! Every message is declared once with all three translations; the macro makes
//! a missing translation a compile error. The same catalog serves the server
//! (error messages) and the browser.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    Kk,
    Ru,
    En,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Kk, Locale::Ru, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Kk => "kk",
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim().to_ascii_lowercase().get(..2)? {
            "kk" | "kz" => Some(Locale::Kk),
            "ru" => Some(Locale::Ru),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Native name for the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Kk => "Қазақша",
            Locale::Ru => "Русский",
            Locale::En => "English",
        }
    }

    /// Pick the first supported language from an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut langs: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let tag = it.next()?.trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((q, tag))
            })
            .collect();
        langs.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        langs.into_iter().find_map(|(_, tag)| Locale::parse(tag))
    }

    /// A `chrono` locale-independent weekday name.
    pub fn weekday(self, wd: chrono::Weekday) -> &'static str {
        use chrono::Weekday::*;
        let i = match wd {
            Mon => 0,
            Tue => 1,
            Wed => 2,
            Thu => 3,
            Fri => 4,
            Sat => 5,
            Sun => 6,
        };
        match self {
            Locale::Kk => ["Дс", "Сс", "Ср", "Бс", "Жм", "Сб", "Жс"][i],
            Locale::Ru => ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"][i],
            Locale::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
        }
    }
}

macro_rules! messages {
    ($($key:ident { en: $en:expr, ru: $ru:expr, kk: $kk:expr $(,)? })*) => {
        /// A translatable interface string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub fn text(self, l: Locale) -> &'static str {
                match (self, l) {
                    $(
                        (Msg::$key, Locale::En) => $en,
                        (Msg::$key, Locale::Ru) => $ru,
                        (Msg::$key, Locale::Kk) => $kk,
                    )*
                }
            }
        }
    };
}

messages! {
    AppName { en: "Ortalyq", ru: "Ortalyq", kk: "Ortalyq" }
    Tagline {
        en: "Youth resource centers: book a studio, show your pass, come in.",
        ru: "Молодёжные ресурсные центры: забронируйте студию, покажите пропуск, проходите.",
        kk: "Жастар ресурстық орталықтары: студияны брондап, рұқсатнаманы көрсетіп, кіріңіз.",
    }
    NavCenters { en: "Centers", ru: "Центры", kk: "Орталықтар" }
    NavMyBookings { en: "My bookings", ru: "Мои брони", kk: "Менің броньдарым" }
    NavScan { en: "Scan", ru: "Сканер", kk: "Сканер" }
    NavOccupancy { en: "Occupancy", ru: "Загрузка", kk: "Жүктеме" }
    NavLogin { en: "Log in", ru: "Войти", kk: "Кіру" }
    NavLogout { en: "Log out", ru: "Выйти", kk: "Шығу" }
    Language { en: "Language", ru: "Язык", kk: "Тіл" }
    Loading { en: "Loading…", ru: "Загрузка…", kk: "Жүктелуде…" }
    LoginTitle { en: "Log in to Ortalyq", ru: "Вход в Ortalyq", kk: "Ortalyq жүйесіне кіру" }
    LoginField { en: "Phone or email", ru: "Телефон или e-mail", kk: "Телефон немесе e-mail" }
    PasswordField { en: "Password", ru: "Пароль", kk: "Құпиясөз" }
    LoginButton { en: "Log in", ru: "Войти", kk: "Кіру" }
    LoggedInAs { en: "Signed in as", ru: "Вы вошли как", kk: "Сіз кірдіңіз:" }
    CentersTitle { en: "Youth resource centers", ru: "Молодёжные ресурсные центры", kk: "Жастар ресурстық орталықтары" }
    RegionalCenter { en: "Regional center", ru: "Областной центр", kk: "Облыстық орталық" }
    DistrictCenter { en: "District center", ru: "Районный центр", kk: "Аудандық орталық" }
    OpenSpaces { en: "Spaces and free slots", ru: "Пространства и свободное время", kk: "Кеңістіктер және бос уақыт" }
    Capacity { en: "Capacity", ru: "Вместимость", kk: "Сыйымдылығы" }
    SlotLength { en: "Slot", ru: "Слот", kk: "Слот" }
    Minutes { en: "min", ru: "мин", kk: "мин" }
    FreeSlotsNext7 { en: "Free slots for the next 7 days", ru: "Свободное время на 7 дней", kk: "Алдағы 7 күндегі бос уақыт" }
    TimesLocal { en: "Times are local to the center", ru: "Время указано местное для центра", kk: "Уақыт орталықтың жергілікті уақытымен" }
    SeatsLeft { en: "left", ru: "мест", kk: "орын" }
    NoFreeSlots { en: "No free slots", ru: "Свободных слотов нет", kk: "Бос слот жоқ" }
    Closed { en: "Closed", ru: "Закрыто", kk: "Жабық" }
    PartySize { en: "People", ru: "Человек", kk: "Адам саны" }
    Booked { en: "Booked! Your pass is in “My bookings”.", ru: "Забронировано! Пропуск — в разделе «Мои брони».", kk: "Брондалды! Рұқсатнама «Менің броньдарым» бөлімінде." }
    LoginToBook { en: "Log in to book", ru: "Войдите, чтобы забронировать", kk: "Брондау үшін кіріңіз" }
    MyBookingsTitle { en: "My bookings and passes", ru: "Мои брони и пропуска", kk: "Броньдарым мен рұқсатнамаларым" }
    NoBookings { en: "No upcoming bookings yet.", ru: "Предстоящих броней пока нет.", kk: "Алдағы броньдар әзірге жоқ." }
    ShowAtDoor { en: "Show this code at the front desk", ru: "Покажите этот код на ресепшене", kk: "Бұл кодты ресепшенде көрсетіңіз" }
    PassCode { en: "Pass code", ru: "Код пропуска", kk: "Рұқсатнама коды" }
    ScanTitle { en: "Front desk: scan a pass", ru: "Ресепшен: сканирование пропуска", kk: "Ресепшен: рұқсатнаманы сканерлеу" }
    ScanHint {
        en: "Scan with a USB scanner or paste the code and press Enter.",
        ru: "Отсканируйте USB-сканером или вставьте код и нажмите Enter.",
        kk: "USB-сканермен сканерлеңіз немесе кодты қойып, Enter басыңыз.",
    }
    ScanButton { en: "Check", ru: "Проверить", kk: "Тексеру" }
    Admitted { en: "Welcome in", ru: "Проходите", kk: "Кіріңіз" }
    Denied { en: "Not admitted", ru: "Вход запрещён", kk: "Кіруге болмайды" }
    OccupancyTitle { en: "Today's occupancy", ru: "Загрузка сегодня", kk: "Бүгінгі жүктеме" }
    Space { en: "Space", ru: "Пространство", kk: "Кеңістік" }
    BookingsCol { en: "Bookings", ru: "Брони", kk: "Броньдар" }
    CheckInsCol { en: "Check-ins", ru: "Отметки входа", kk: "Кіру белгілері" }
    BookedShareCol { en: "Capacity-hours booked", ru: "Забронировано место-часов", kk: "Брондалған орын-сағат" }
    Total { en: "Total", ru: "Итого", kk: "Барлығы" }
    NotFoundTitle { en: "Page not found", ru: "Страница не найдена", kk: "Бет табылмады" }
    BackHome { en: "Back to the start page", ru: "На главную", kk: "Басты бетке" }
    // Errors
    ErrNotAuthenticated { en: "Please log in first.", ru: "Сначала войдите в систему.", kk: "Алдымен жүйеге кіріңіз." }
    ErrForbidden { en: "Your role does not allow this.", ru: "Ваша роль не позволяет это сделать.", kk: "Рөліңіз бұған рұқсат бермейді." }
    ErrInvalidCredentials { en: "Wrong login or password.", ru: "Неверный логин или пароль.", kk: "Логин немесе құпиясөз қате." }
    ErrNotFound { en: "Not found.", ru: "Не найдено.", kk: "Табылмады." }
    ErrInvalidInput { en: "Please check the form: a field is missing or invalid.", ru: "Проверьте форму: поле не заполнено или заполнено неверно.", kk: "Форманы тексеріңіз: өріс толтырылмаған немесе қате." }
    ErrSlotFull { en: "This slot is already fully booked. Please choose another time.", ru: "Это время уже полностью занято. Выберите другое.", kk: "Бұл уақыт толығымен брондалған. Басқа уақытты таңдаңыз." }
    ErrSlotInPast { en: "This slot has already started.", ru: "Это время уже началось.", kk: "Бұл уақыт басталып кеткен." }
    ErrSlotNotOffered { en: "This space does not offer that time.", ru: "Это пространство не работает в это время.", kk: "Бұл кеңістік бұл уақытта жұмыс істемейді." }
    ErrBadPartySize { en: "The number of people does not fit this space.", ru: "Число людей не подходит для этого пространства.", kk: "Адам саны бұл кеңістікке сәйкес емес." }
    ErrInternal { en: "Something went wrong on our side. Please try again.", ru: "У нас что-то пошло не так. Попробуйте ещё раз.", kk: "Бізде бірдеңе дұрыс болмады. Қайталап көріңіз." }
    ErrNetwork { en: "No connection to the server. Please try again.", ru: "Нет связи с сервером. Попробуйте ещё раз.", kk: "Сервермен байланыс жоқ. Қайталап көріңіз." }
    // Scan denials
    DenyMalformed { en: "Not an Ortalyq pass", ru: "Это не пропуск Ortalyq", kk: "Бұл Ortalyq рұқсатнамасы емес" }
    DenyBadSignature { en: "Invalid signature: forged or altered pass", ru: "Неверная подпись: пропуск подделан или изменён", kk: "Қолтаңба жарамсыз: рұқсатнама жалған не өзгертілген" }
    DenyUnknownKey { en: "Signed with an unknown key", ru: "Подписан неизвестным ключом", kk: "Белгісіз кілтпен қол қойылған" }
    DenyUnknown { en: "Pass not found", ru: "Пропуск не найден", kk: "Рұқсатнама табылмады" }
    DenyRevoked { en: "Pass cancelled", ru: "Пропуск аннулирован", kk: "Рұқсатнама жойылған" }
    DenyOtherCenter { en: "Pass is for another center", ru: "Пропуск в другой центр", kk: "Рұқсатнама басқа орталыққа" }
    DenyNotToday { en: "Pass is not for today", ru: "Пропуск не на сегодня", kk: "Рұқсатнама бүгінге емес" }
    DenyTooEarly { en: "Too early: the door opens at", ru: "Слишком рано: вход с", kk: "Ерте: кіру уақыты" }
    DenyExpired { en: "The booking time is over", ru: "Время брони закончилось", kk: "Бронь уақыты аяқталды" }
    DenyAlreadyCheckedIn { en: "Already checked in at", ru: "Уже отмечен в", kk: "Кіру бұрын белгіленген:" }
    RoleVisitor { en: "member", ru: "участник", kk: "қатысушы" }
    RoleFrontDesk { en: "front desk", ru: "ресепшен", kk: "ресепшен" }
    RoleDirector { en: "director", ru: "директор", kk: "директор" }
    RoleAdmin { en: "regional admin", ru: "областной администратор", kk: "облыстық әкімші" }
    By { en: "by", ru: "сотрудник", kk: "қызметкер" }
}

/// `Tue 01.12` in the given language.
pub fn day_label(l: Locale, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {:02}.{:02}",
        l.weekday(date.weekday()),
        date.day(),
        date.month()
    )
}

/// Pick the name in the interface language.
pub fn pick<'a>(l: Locale, kk: &'a str, ru: &'a str, en: &'a str) -> &'a str {
    match l {
        Locale::Kk => kk,
        Locale::Ru => ru,
        Locale::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_highest_supported() {
        assert_eq!(
            Locale::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"),
            Some(Locale::Ru)
        );
        assert_eq!(
            Locale::from_accept_language("de-DE,en;q=0.5,kk;q=0.7"),
            Some(Locale::Kk)
        );
        assert_eq!(Locale::from_accept_language("de, fr;q=0.5"), None);
        assert_eq!(Locale::parse("kk-KZ"), Some(Locale::Kk));
    }

    #[test]
    fn translations_differ_where_languages_differ() {
        assert_ne!(
            Msg::ErrSlotFull.text(Locale::En),
            Msg::ErrSlotFull.text(Locale::Ru)
        );
        assert_ne!(
            Msg::ErrSlotFull.text(Locale::Ru),
            Msg::ErrSlotFull.text(Locale::Kk)
        );
    }
}
