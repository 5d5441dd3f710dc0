//! AnKhangCRM server: the axum application behind the `ankhang` binary.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod config;
pub mod contacts;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod events;
pub mod http;
pub mod keys;
pub mod live;
pub mod mail;
pub mod permissions;
pub mod roles;
pub mod rotate;
pub mod service_types;
pub mod startup;
pub mod state;
pub mod teams;
pub mod telemetry;
pub mod users;
