//! The integration suite: one test binary (one link), every test run on SQLite and, when it
//! answers, on PostgreSQL.

mod api;
mod browser;
mod cli;
mod concurrency;
mod conformance;
mod crash;
mod direct;
mod eu_benchmark;
mod gaps;
mod limits;
mod monitoring;
mod page_tables;
mod processes;
mod registry;
mod report;
mod schema;
mod snapshot;
mod support;
mod web;
