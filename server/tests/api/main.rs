//! Integration tests: the real server on a random loopback port, a fresh SQLite
//! database per test, fakes only for outside services (SMTP).

mod access;
mod anonymize;
mod audit;
mod auth;
mod backup;
mod bad_input;
mod browser;
mod browser_admin;
mod browser_anonymize;
mod browser_audit;
mod browser_board;
mod browser_contacts;
mod browser_deals;
mod browser_reports;
mod browser_two_factor;
mod cli;
mod contacts;
mod csrf;
mod deals;
mod employees;
mod encryption;
mod exports;
mod helpers;
mod monitoring;
mod notifications;
mod password;
mod pick;
mod reports;
mod rls;
mod roles;
mod teams;
mod tls;
mod two_factor;
mod web;
mod ws;
