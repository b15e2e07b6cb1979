//! The real `dodil` binary, driven as a user or a script would: each test starts a dev server
//! on 127.0.0.1:0 in this process (see `support`) and runs the binary against it in a pinned
//! environment. One test binary for all of them, so the suite links once.

mod support;

mod auth;
mod completions;
mod config;
mod follow;
mod gateway_conformance;
mod hardening;
mod help;
mod human_output;
mod jq;
mod many;
mod proxy;
mod readme;
mod real_server;
mod results;
mod thread_actions;
mod thread_basics;
mod transport;
mod verify;
mod watch_step;
