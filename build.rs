//! Compiles the wire contract with protox (pure Rust), so no `protoc` is needed anywhere, and
//! keeps its encoded descriptors for the dev server's gRPC reflection; pbjson-build adds the
//! JSON mapping the HTTP gateway speaks.

use prost::Message as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto = "proto/dodil/scriptum/v1/scriptum.proto";
    println!("cargo:rerun-if-changed={proto}");
    let descriptors = protox::compile([proto], ["proto"])?;
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(
        out_dir.join("scriptum_descriptor.bin"),
        descriptors.encode_to_vec(),
    )?;
    let encoded = descriptors.encode_to_vec();
    tonic_prost_build::configure()
        .bytes(".")
        .compile_fds(descriptors)?;
    // The HTTP gateway's JSON (pbjson): serde impls for every message, beside prost's types.
    // Lenient, as proto3 JSON readers are: a newer server's answer with a field or an enum
    // name this proto lacks still reads (gRPC skips unknown fields too). The dev server's
    // gateway refuses unknown request fields itself (gateway/mod.rs, serde_ignored).
    pbjson_build::Builder::new()
        .register_descriptors(&encoded)?
        .ignore_unknown_fields()
        .ignore_unknown_enum_variants()
        .build(&[".dodil.scriptum.v1"])?;
    Ok(())
}
