//! Tests of the JSONata engine.
mod suite;
