//! Leader and director pages.
