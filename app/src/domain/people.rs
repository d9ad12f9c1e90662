//! Who a person is to Ortalyq, as plain data: the account's role and the
//! profile facts programs select on (settlement, occupation, education).
//! Their labels live in the locale files (`crate::i18n`).

use crate::domain::codes::stored;
use serde::{Deserialize, Serialize};

stored! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Role {
        Visitor,
        /// Club leader or mentor: runs clubs and consultations (no desk or reports).
        Mentor,
        FrontDesk,
        Director,
        Admin,
    }
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Visitor => "visitor",
            Role::Mentor => "mentor",
            Role::FrontDesk => "front_desk",
            Role::Director => "director",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "visitor" => Some(Role::Visitor),
            "mentor" => Some(Role::Mentor),
            "front_desk" => Some(Role::FrontDesk),
            "director" => Some(Role::Director),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// Staff who may scan passes at a door.
    pub fn can_scan(self) -> bool {
        matches!(self, Role::FrontDesk | Role::Director | Role::Admin)
    }

    /// Regional admins: staff accounts, every center.
    pub fn is_admin(self) -> bool {
        matches!(self, Role::Admin)
    }

    /// The page a person of this role lands on after signing in.
    pub fn home_page(self) -> &'static str {
        match self {
            Role::Visitor | Role::Mentor => "/",
            Role::FrontDesk => "/desk/scan",
            Role::Director | Role::Admin => "/director/occupancy",
        }
    }

    /// Staff who may see occupancy reports.
    pub fn can_report(self) -> bool {
        matches!(self, Role::Director | Role::Admin)
    }
}

/// A profile choice stored as a short code (`city`, `pupil`, `master`…).
macro_rules! choice {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal),* $(,)? }) => {
        stored! {
            $(#[$m])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
            pub enum $name { $($variant),* }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($code => Some($name::$variant),)* _ => None }
            }
        }
    };
}

choice!(
    /// Where the member lives: reach into rural areas is a key figure.
    Settlement {
        City = "city",
        Rural = "rural",
    }
);

choice!(
    Occupation {
        Pupil = "pupil",
        Student = "student",
        Employed = "employed",
        Neet = "neet",
    }
);

choice!(
    /// Highest completed education level (ordered: later is higher).
    Education {
        Basic = "basic",
        Secondary = "secondary",
        Vocational = "vocational",
        Bachelor = "bachelor",
        Master = "master",
        Doctorate = "doctorate",
    }
);
