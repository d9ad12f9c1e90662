//! Program eligibility: the rules a program declares (age range, minimum
//! education, rural residence, occupation) checked against an applicant's
//! profile as of a given day. Every failed rule is reported with its reason,
//! so the applicant sees at once all that stands in the way.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::membership::age_on;
use crate::domain::people::{Education, Occupation, Settlement};

/// What a program requires; `None` or empty means no rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramRules {
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub min_education: Option<Education>,
    pub rural_only: bool,
    /// Occupations admitted; empty admits any.
    pub occupations: Vec<Occupation>,
}

/// The profile facts the rules look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applicant {
    pub birth_date: NaiveDate,
    pub education: Education,
    pub settlement: Settlement,
    pub occupation: Occupation,
}

/// One failed rule, with what it needs and what the applicant has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Ineligible {
    TooYoung { min_age: i32, age: i32 },
    TooOld { max_age: i32, age: i32 },
    Education { required: Education },
    NotRural,
    Occupation { allowed: Vec<Occupation> },
}

/// Rank of an education level: a higher rank is a higher level.
pub fn education_rank(e: Education) -> usize {
    Education::ALL.iter().position(|x| *x == e).unwrap_or(0)
}

/// Every rule of `rules` the applicant fails on `today`, in a fixed order
/// (age, education, residence, occupation). Empty: eligible.
pub fn check(rules: &ProgramRules, applicant: &Applicant, today: NaiveDate) -> Vec<Ineligible> {
    let mut out = Vec::new();
    let age = age_on(applicant.birth_date, today);
    if let Some(min_age) = rules.min_age {
        if age < min_age {
            out.push(Ineligible::TooYoung { min_age, age });
        }
    }
    if let Some(max_age) = rules.max_age {
        if age > max_age {
            out.push(Ineligible::TooOld { max_age, age });
        }
    }
    if let Some(required) = rules.min_education {
        if education_rank(applicant.education) < education_rank(required) {
            out.push(Ineligible::Education { required });
        }
    }
    if rules.rural_only && applicant.settlement != Settlement::Rural {
        out.push(Ineligible::NotRural);
    }
    if !rules.occupations.is_empty() && !rules.occupations.contains(&applicant.occupation) {
        out.push(Ineligible::Occupation {
            allowed: rules.occupations.clone(),
        });
    }
    out
}

/// Occupation codes as stored (`student,employed`).
pub fn occupations_to_str(list: &[Occupation]) -> String {
    list.iter()
        .map(|o| o.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Stored occupation codes back to the list (unknown codes are dropped).
pub fn occupations_from_str(s: &str) -> Vec<Occupation> {
    s.split(',')
        .filter_map(|c| Occupation::parse(c.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Locale;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn analytics() -> ProgramRules {
        ProgramRules {
            min_age: Some(21),
            max_age: Some(35),
            min_education: Some(Education::Master),
            rural_only: false,
            occupations: vec![],
        }
    }

    fn applicant(birth: NaiveDate) -> Applicant {
        Applicant {
            birth_date: birth,
            education: Education::Master,
            settlement: Settlement::City,
            occupation: Occupation::Employed,
        }
    }

    #[test]
    fn a_fitting_applicant_passes_every_rule() {
        assert!(check(&analytics(), &applicant(d(1998, 3, 1)), d(2026, 12, 1)).is_empty());
        assert!(check(
            &ProgramRules::default(),
            &applicant(d(2012, 1, 1)),
            d(2026, 12, 1)
        )
        .is_empty());
    }

    #[test]
    fn minimum_age_is_reached_on_the_birthday_itself() {
        let rules = analytics();
        let today = d(2026, 12, 1);
        // 21 today: admitted; 21 tomorrow: still 20 today.
        assert!(check(&rules, &applicant(d(2005, 12, 1)), today).is_empty());
        assert_eq!(
            check(&rules, &applicant(d(2005, 12, 2)), today),
            vec![Ineligible::TooYoung {
                min_age: 21,
                age: 20
            }]
        );
    }

    #[test]
    fn maximum_age_ends_on_the_next_birthday() {
        let rules = analytics();
        let today = d(2026, 12, 1);
        // Turns 36 tomorrow: still 35 today.
        assert!(check(&rules, &applicant(d(1990, 12, 2)), today).is_empty());
        // Turned 36 today: too old.
        assert_eq!(
            check(&rules, &applicant(d(1990, 12, 1)), today),
            vec![Ineligible::TooOld {
                max_age: 35,
                age: 36
            }]
        );
    }

    #[test]
    fn leap_day_birthday_counts_from_first_of_march() {
        let rules = ProgramRules {
            min_age: Some(18),
            ..Default::default()
        };
        let born = d(2008, 2, 29);
        assert_eq!(
            check(&rules, &applicant(born), d(2026, 2, 28)),
            vec![Ineligible::TooYoung {
                min_age: 18,
                age: 17
            }]
        );
        assert!(check(&rules, &applicant(born), d(2026, 3, 1)).is_empty());
    }

    #[test]
    fn education_levels_are_ordered() {
        let rules = analytics();
        let today = d(2026, 12, 1);
        let mut a = applicant(d(1998, 3, 1));
        a.education = Education::Doctorate;
        assert!(check(&rules, &a, today).is_empty());
        for below in [
            Education::Basic,
            Education::Secondary,
            Education::Vocational,
            Education::Bachelor,
        ] {
            a.education = below;
            assert_eq!(
                check(&rules, &a, today),
                vec![Ineligible::Education {
                    required: Education::Master
                }],
                "{below:?}"
            );
        }
    }

    #[test]
    fn every_failed_rule_is_reported_in_order() {
        let rules = ProgramRules {
            min_age: Some(18),
            max_age: Some(29),
            min_education: Some(Education::Secondary),
            rural_only: true,
            occupations: vec![Occupation::Student, Occupation::Neet],
        };
        let a = Applicant {
            birth_date: d(2011, 6, 1),
            education: Education::Basic,
            settlement: Settlement::City,
            occupation: Occupation::Pupil,
        };
        let got = check(&rules, &a, d(2026, 12, 1));
        assert_eq!(
            got,
            vec![
                Ineligible::TooYoung {
                    min_age: 18,
                    age: 15
                },
                Ineligible::Education {
                    required: Education::Secondary
                },
                Ineligible::NotRural,
                Ineligible::Occupation {
                    allowed: vec![Occupation::Student, Occupation::Neet]
                },
            ]
        );
        // Each reason reads differently and names its numbers or levels.
        for l in Locale::ALL {
            let texts: Vec<String> = got.iter().map(|r| r.text(l)).collect();
            assert!(
                texts[0].contains("18") && texts[0].contains("15"),
                "{texts:?}"
            );
            assert!(
                texts[1].contains(Education::Secondary.label(l)),
                "{texts:?}"
            );
            assert!(texts[3].contains(Occupation::Neet.label(l)), "{texts:?}");
            let unique: std::collections::HashSet<_> = texts.iter().collect();
            assert_eq!(unique.len(), 4);
        }
    }

    #[test]
    fn rural_rule_and_occupation_rule_admit_the_right_people() {
        let rules = ProgramRules {
            rural_only: true,
            occupations: vec![Occupation::Neet, Occupation::Employed],
            ..Default::default()
        };
        let mut a = applicant(d(2004, 1, 1));
        a.settlement = Settlement::Rural;
        assert!(check(&rules, &a, d(2026, 12, 1)).is_empty());
        a.occupation = Occupation::Student;
        assert_eq!(check(&rules, &a, d(2026, 12, 1)).len(), 1);
    }

    #[test]
    fn occupations_round_trip_through_storage() {
        let list = vec![Occupation::Student, Occupation::Neet];
        assert_eq!(occupations_from_str(&occupations_to_str(&list)), list);
        assert!(occupations_from_str("").is_empty());
    }
}
