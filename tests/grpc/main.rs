//! The dev server on its own, driven RPC by RPC with the generated gRPC client over loopback
//! (see `support`): the server is checked against the spec without the CLI in between. Time is
//! scaled (speed 2..200) and tests wait on stream events, never on fixed sleeps.

mod support;

mod actions;
mod artifacts;
mod auth;
mod events;
mod faults;
mod introspection;
mod persistence;
mod results;
mod scenarios;
mod threads;
