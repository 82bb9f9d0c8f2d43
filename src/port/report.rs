//! The portability report (filled in below).
