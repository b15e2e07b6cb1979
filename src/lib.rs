//! `dodil`: the command-line client for the Dodil Scriptum Threads & Results API.
//!
//! The binary is a thin `main`; everything lives here so integration tests can start the dev
//! server in-process and drive the real binary against it.

pub mod devserver;
pub mod proto;
