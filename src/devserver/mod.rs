//! The dev server: a local Scriptum simulator (see the dev-server issue).
