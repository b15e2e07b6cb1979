//! The dev server on its own, driven RPC by RPC with the generated gRPC client over loopback
//! (see `support`): the server is checked against the spec without the CLI in between.

mod support;

mod devserver;
