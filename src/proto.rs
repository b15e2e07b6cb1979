//! The generated wire types. Nothing outside `client/` and `devserver/` should need them.
#![allow(clippy::all, clippy::pedantic)]
tonic::include_proto!("dodil.scriptum.v1");
