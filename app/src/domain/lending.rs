//! Equipment lending rules: what an item's condition allows, when a loan is
//! due, which loans are overdue, and whether a member may borrow more.

use crate::domain::codes::stored;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Loans are due at this local hour (the desk is staffed until the evening).
pub const DUE_HOUR: u32 = 19;

stored! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ItemKind {
        Camera,
        LightKit,
        Microphone,
        SoundKit,
        Tripod,
    }
}

impl ItemKind {
    pub const ALL: [ItemKind; 5] = [
        ItemKind::Camera,
        ItemKind::LightKit,
        ItemKind::Microphone,
        ItemKind::SoundKit,
        ItemKind::Tripod,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Camera => "camera",
            ItemKind::LightKit => "light_kit",
            ItemKind::Microphone => "microphone",
            ItemKind::SoundKit => "sound_kit",
            ItemKind::Tripod => "tripod",
        }
    }

    pub fn parse(s: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

stored! {
    /// The state an item is in, as recorded at its last return.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Condition {
        Good,
        Worn,
        Damaged,
        OutOfService,
    }
}

impl Condition {
    pub const ALL: [Condition; 4] = [
        Condition::Good,
        Condition::Worn,
        Condition::Damaged,
        Condition::OutOfService,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Good => "good",
            Condition::Worn => "worn",
            Condition::Damaged => "damaged",
            Condition::OutOfService => "out_of_service",
        }
    }

    pub fn parse(s: &str) -> Option<Condition> {
        Condition::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Damaged and out-of-service items stay on the shelf until repaired.
    pub fn lendable(self) -> bool {
        matches!(self, Condition::Good | Condition::Worn)
    }
}

stored! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum LoanStatus {
        Reserved,
        Out,
        Returned,
        Cancelled,
    }
}

impl LoanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LoanStatus::Reserved => "reserved",
            LoanStatus::Out => "out",
            LoanStatus::Returned => "returned",
            LoanStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<LoanStatus> {
        [
            LoanStatus::Reserved,
            LoanStatus::Out,
            LoanStatus::Returned,
            LoanStatus::Cancelled,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// A member's loan as the borrowing rule sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoanFact {
    /// What to tell the member (`Sony camera (EQ-0001)`).
    pub item: String,
    pub status: LoanStatus,
    pub due_at: Option<DateTime<Utc>>,
}

/// Out and past its due time.
pub fn is_overdue(status: LoanStatus, due_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    status == LoanStatus::Out && due_at.is_some_and(|d| d < now)
}

/// A member with any overdue loan may not reserve or take out more; the
/// refusal names every overdue item.
pub fn can_borrow(loans: &[LoanFact], now: DateTime<Utc>) -> Result<(), Vec<String>> {
    let overdue: Vec<String> = loans
        .iter()
        .filter(|l| is_overdue(l.status, l.due_at, now))
        .map(|l| l.item.clone())
        .collect();
    if overdue.is_empty() {
        Ok(())
    } else {
        Err(overdue)
    }
}

/// When a loan taken out at `checked_out` is due: `loan_days` local days
/// later at [`DUE_HOUR`]; at least an hour after check-out (a same-day loan
/// taken in the evening is due the next evening).
pub fn due_at(checked_out: DateTime<Utc>, tz: chrono_tz::Tz, loan_days: u32) -> DateTime<Utc> {
    let local_day = checked_out.with_timezone(&tz).date_naive();
    let at = |day: NaiveDate| -> DateTime<Utc> {
        let naive = day.and_hms_opt(DUE_HOUR, 0, 0).expect("valid due hour");
        tz.from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
    };
    let due = at(local_day + Duration::days(i64::from(loan_days)));
    if due < checked_out + Duration::hours(1) {
        at(local_day + Duration::days(i64::from(loan_days) + 1))
    } else {
        due
    }
}

/// A reservation not picked up by the end of its pickup day no longer holds
/// the item.
pub fn reservation_lapsed(pickup_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    pickup_on.is_some_and(|d| d < today)
}

/// How far ahead a member may reserve (local days, today = 0).
pub const MAX_PICKUP_DAYS: i64 = 7;

/// What a member sees on an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Available,
    Reserved,
    Out,
    /// Damaged, out of service or withdrawn.
    Unavailable,
}

impl ItemState {
    pub fn of(active: bool, condition: Condition, holding: Option<LoanStatus>) -> ItemState {
        match holding {
            Some(LoanStatus::Out) => ItemState::Out,
            Some(LoanStatus::Reserved) => ItemState::Reserved,
            _ if !active || !condition.lendable() => ItemState::Unavailable,
            _ => ItemState::Available,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Available => "available",
            ItemState::Reserved => "reserved",
            ItemState::Out => "out",
            ItemState::Unavailable => "unavailable",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        // Karaganda is UTC+5.
        Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap() - Duration::hours(5)
    }

    fn loan(item: &str, status: LoanStatus, due: Option<DateTime<Utc>>) -> LoanFact {
        LoanFact {
            item: item.into(),
            status,
            due_at: due,
        }
    }

    #[test]
    fn overdue_loans_block_borrowing_and_are_named() {
        let now = t(5, 12, 0);
        let loans = vec![
            loan("Camera", LoanStatus::Out, Some(t(4, 19, 0))),
            loan("Tripod", LoanStatus::Out, Some(t(6, 19, 0))),
            loan("Mic", LoanStatus::Returned, Some(t(1, 19, 0))),
            loan("Light", LoanStatus::Reserved, None),
        ];
        assert_eq!(can_borrow(&loans, now), Err(vec!["Camera".to_string()]));
        assert_eq!(can_borrow(&loans[1..], now), Ok(()));
        // Due exactly now is not overdue yet.
        assert_eq!(
            can_borrow(&[loan("Camera", LoanStatus::Out, Some(now))], now),
            Ok(())
        );
    }

    #[test]
    fn due_time_is_the_evening_loan_days_later() {
        let tz = chrono_tz::Asia::Almaty;
        assert_eq!(due_at(t(1, 10, 50), tz, 2), t(3, 19, 0));
        assert_eq!(due_at(t(1, 10, 50), tz, 0), t(1, 19, 0));
        // A same-day loan at 18:30 would be due in 30 minutes: next evening.
        assert_eq!(due_at(t(1, 18, 30), tz, 0), t(2, 19, 0));
    }

    #[test]
    fn damaged_items_are_not_lendable() {
        assert!(Condition::Good.lendable());
        assert!(Condition::Worn.lendable());
        assert!(!Condition::Damaged.lendable());
        assert!(!Condition::OutOfService.lendable());
        assert_eq!(
            ItemState::of(true, Condition::Damaged, None),
            ItemState::Unavailable
        );
        assert_eq!(
            ItemState::of(true, Condition::Good, Some(LoanStatus::Out)),
            ItemState::Out
        );
        assert_eq!(
            ItemState::of(true, Condition::Worn, None),
            ItemState::Available
        );
    }

    #[test]
    fn reservations_lapse_after_their_pickup_day() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert!(!reservation_lapsed(Some(d), d));
        assert!(reservation_lapsed(Some(d), d.succ_opt().unwrap()));
        assert!(!reservation_lapsed(None, d));
    }

    #[test]
    fn names_round_trip() {
        for k in ItemKind::ALL {
            assert_eq!(ItemKind::parse(k.as_str()), Some(k));
        }
        for c in Condition::ALL {
            assert_eq!(Condition::parse(c.as_str()), Some(c));
        }
    }
}
