//! The generated wire types. Nothing outside `client/` and `devserver/` should need them.
#![allow(clippy::all, clippy::pedantic)]
tonic::include_proto!("dodil.scriptum.v1");
// pbjson's serde impls (the HTTP gateway's JSON), generated from the same descriptors.
include!(concat!(env!("OUT_DIR"), "/dodil.scriptum.v1.serde.rs"));

/// The contract's encoded `FileDescriptorSet`, for gRPC server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/scriptum_descriptor.bin"));
