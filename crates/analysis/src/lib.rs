//! Use cases over the store that the command line, the web and the reports share: reading a
//! round and scoring it, and the gap analysis as a report.

pub mod gaps;
pub mod rounds;
