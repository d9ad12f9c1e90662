//! Member pages of clubs and events.
